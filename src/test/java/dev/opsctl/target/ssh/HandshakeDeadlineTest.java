package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HandshakeDeadlineTest {
    @Test
    void aHandshakeFinishedInTimeIsNeverAbortedLater() throws Exception {
        AtomicInteger aborts = new AtomicInteger();
        HandshakeDeadline d = new HandshakeDeadline(Duration.ofMillis(50), aborts::incrementAndGet);
        assertTrue(d.finish());
        Thread.sleep(200);
        assertEquals(0, aborts.get());
        assertFalse(d.expired());
    }

    @Test
    void aHandshakeStillRunningAtTheDeadlineIsAbortedOnceAndCannotFinishAfterwards() throws Exception {
        AtomicInteger aborts = new AtomicInteger();
        CountDownLatch aborted = new CountDownLatch(1);
        HandshakeDeadline d = new HandshakeDeadline(Duration.ofMillis(50), () -> {
            aborts.incrementAndGet();
            aborted.countDown();
        });
        assertTrue(aborted.await(5, TimeUnit.SECONDS));
        assertTrue(d.expired());
        assertFalse(d.finish(), "too late: the connection is being closed");
        Thread.sleep(100);
        assertEquals(1, aborts.get());
    }
}
