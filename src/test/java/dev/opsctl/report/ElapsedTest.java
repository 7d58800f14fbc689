package dev.opsctl.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class ElapsedTest {
    @Test
    void underTenSecondsShowsTenthsRoundedAsPercentPointOneFDoes() {
        for (long ms = 0; ms < 10_000; ms++) {
            assertEquals(String.format(Locale.ROOT, "%.1fs", ms / 1000.0), Elapsed.format(ms), "for " + ms + " ms");
        }
    }

    @Test
    void negativeIsZeroAndLongerIsWholeUnits() {
        assertEquals("0.0s", Elapsed.format(-5));
        assertEquals("10.0s", Elapsed.format(9_999));
        assertEquals("42s", Elapsed.format(42_400));
        assertEquals("4m12s", Elapsed.format(252_000));
    }
}
