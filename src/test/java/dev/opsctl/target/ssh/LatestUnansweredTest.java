package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two connections ending at once on two threads: the record kept is the later end, whichever arrives last. */
class LatestUnansweredTest {

    @Test
    void anOlderRecordArrivingLastDoesNotReplaceANewerOne() {
        long start = System.nanoTime();
        LatestUnanswered latest = new LatestUnanswered();
        latest.ended(null, start + 200); // answered
        latest.ended("channel open failed", start + 100); // ended first, kept last
        assertEquals(Optional.empty(), latest.since(start), "the later connection was answered");

        latest.ended("open failed", start + 300);
        latest.ended(null, start + 250);
        assertEquals(Optional.of("open failed"), latest.since(start + 300), "the later connection was refused");
        assertEquals(Optional.empty(), latest.since(start + 301), "not for a call that began after it");
    }

    @Test
    void laterMeansLaterAcrossTheWrapOfNanoTime() {
        long beforeWrap = Long.MAX_VALUE - 50;
        long afterWrap = beforeWrap + 100;
        LatestUnanswered latest = new LatestUnanswered();
        latest.ended("refused after the wrap", afterWrap);
        latest.ended(null, beforeWrap);
        assertEquals(Optional.of("refused after the wrap"), latest.since(beforeWrap));
    }

    @Test
    void nothingIsKnownBeforeAConnectionEnded() {
        assertEquals(Optional.empty(), new LatestUnanswered().since(System.nanoTime()));
    }
}
