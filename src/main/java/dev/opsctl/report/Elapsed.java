package dev.opsctl.report;

import dev.opsctl.source.Durations;
import java.time.Duration;

/** Elapsed times as the console shows them: {@code 0.4s}, {@code 1.2s}, {@code 42s}, {@code 4m12s}. */
final class Elapsed {
    private Elapsed() {}

    /**
     * Tenths rounded half up, as {@code %.1f} does; by hand, as String.format was a third of the
     * console's CPU per step (a Formatter, locale symbols and a float conversion per line).
     */
    static String format(long millis) {
        if (millis < 10_000) {
            long tenths = (Math.max(0, millis) + 50) / 100;
            return tenths / 10 + "." + tenths % 10 + "s";
        }
        return Durations.format(Duration.ofSeconds(millis / 1000));
    }
}
