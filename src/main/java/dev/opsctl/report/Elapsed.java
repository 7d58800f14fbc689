package dev.opsctl.report;

import dev.opsctl.source.Durations;
import java.time.Duration;
import java.util.Locale;

/** Elapsed times as the console shows them: {@code 0.4s}, {@code 1.2s}, {@code 42s}, {@code 4m12s}. */
final class Elapsed {
    private Elapsed() {}

    static String format(long millis) {
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.1fs", Math.max(0, millis) / 1000.0);
        }
        return Durations.format(Duration.ofSeconds(millis / 1000));
    }
}
