package dev.opsctl.report;

import dev.opsctl.source.InstantText;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times as the reports print them, in the zone the report is made for. */
final class ReportTimes {
    private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private ReportTimes() {}

    static String full(Instant t, ZoneId zone) {
        return FULL.format(t.atZone(zone));
    }

    static String clock(Instant t, ZoneId zone) {
        return CLOCK.format(t.atZone(zone));
    }

    /** A journaled time string ({@code 2026-11-22T02:03:04Z}) as a clock time; anything else as written. */
    static String clock(String journaled, ZoneId zone) {
        try {
            return clock(InstantText.parse(journaled), zone);
        } catch (java.time.format.DateTimeParseException e) {
            return journaled;
        }
    }

    static String elapsed(long millis) {
        return millis < 100 ? Math.max(0, millis) + "ms" : Elapsed.format(millis);
    }
}
