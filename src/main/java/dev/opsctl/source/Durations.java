package dev.opsctl.source;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 250ms}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    public static Optional<Duration> parse(String text) {
        try {
            return parseChecked(text);
        } catch (NumberFormatException | ArithmeticException e) {
            // "99999999999999999999s" and the like: not a duration anyone means, and never an exception
            return Optional.empty();
        }
    }

    private static Optional<Duration> parseChecked(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        if (s.chars().allMatch(Character::isDigit)) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(s)));
        }
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int at = 0;
        while (m.find()) {
            if (m.start() != at) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            at = m.end();
        }
        return at == s.length() && at > 0 ? Optional.of(total) : Optional.empty();
    }

    /** The shortest faithful form: {@code 1h30m}, {@code 45s}, {@code 250ms}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long h = d.toHours();
        long m = d.toMinutesPart();
        long s = d.toSecondsPart();
        long ms = d.toMillisPart();
        if (h > 0) {
            out.append(h).append('h');
        }
        if (m > 0) {
            out.append(m).append('m');
        }
        if (s > 0) {
            out.append(s).append('s');
        }
        if (ms > 0) {
            out.append(ms).append("ms");
        }
        return out.toString();
    }
}
