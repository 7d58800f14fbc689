package dev.opsctl.cli;

import dev.opsctl.source.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Durations as runbooks write them: {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 250ms}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        return Durations.parse(text)
                .orElseThrow(() -> new CommandLine.TypeConversionException(
                        "'" + text + "' is not a duration (e.g. 90s, 5m, 1h30m, 250ms)"));
    }
}
