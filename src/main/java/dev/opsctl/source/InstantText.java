package dev.opsctl.source;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads back the instants opsctl writes into its journal ({@link Instant#toString()}:
 * {@code 2026-11-24T05:30:12.123456Z}, UTC, with 0, 3, 6 or 9 fraction digits). The JDK's
 * {@link Instant#parse} takes ~80 µs a call while its formatter is still interpreted, which a
 * short run pays for every record it folds into its report; this reads that one shape directly and
 * leaves everything else (other years, offsets, leap seconds, errors) to {@link Instant#parse}.
 */
public final class InstantText {
    private InstantText() {}

    /** As {@link Instant#parse}, with the same result and the same exception for text it rejects. */
    public static Instant parse(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z') {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21; // between the '.' and the 'Z'
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return Instant.parse(text);
            }
            int f = digits(text, 20, n - 1);
            if (f < 0) {
                return Instant.parse(text);
            }
            nanos = f;
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        } else if (text.charAt(19) != 'Z') {
            return Instant.parse(text);
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return Instant.parse(text); // out of range, or a leap second: the JDK's answer, or its exception
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal value of {@code text[from, to)}, or -1 if it is not all ASCII digits. */
    private static int digits(String text, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
