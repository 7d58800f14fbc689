package dev.opsctl.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimelineSvgNumbersTest {
    private static void same(double v) {
        assertEquals(String.format(Locale.ROOT, "%.1f", v), TimelineSvg.f(v), () -> "for " + v);
    }

    @Test
    void coordinatesPrintAsTheFormatterPrintsThem() {
        for (int i = -20_000; i <= 200_000; i++) {
            same(i / 100.0);
            same(i / 1000.0);
            same(i / 7.0);
        }
        for (double v : new double[] {0.0, -0.0, 0.05, 0.15, 0.25, 0.35, 0.45, 9.95, 99.95, 999.95, -0.04, -0.05, -9.96,
                1e-4, 1.25e-3, 123456789.75, 1e7, -1e9, Double.MAX_VALUE, Double.MIN_VALUE, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            same(v);
        }
    }

    @Test
    void arbitraryDoublesPrintAsTheFormatterPrintsThem() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            same(random.nextDouble(-2000, 20_000));
            same(Double.longBitsToDouble(random.nextLong()));
        }
    }
}
