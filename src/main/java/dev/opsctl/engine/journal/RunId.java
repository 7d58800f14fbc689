package dev.opsctl.engine.journal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/** Run ids: {@code yyyyMMdd-HHmmss-<4 hex>}, sortable by start time, unique enough for one operator's machine. */
public final class RunId {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Pattern FORM = Pattern.compile("\\d{8}-\\d{6}-[0-9a-f]{4}");

    private RunId() {}

    public static String next(Instant started, ZoneId zone, RandomGenerator random) {
        return timestamp(started, zone) + "-" + HexFormat.of().toHexDigits((short) random.nextInt(0x10000));
    }

    /** {@code yyyyMMdd-HHmmss}, as templates see it in {@code run.timestamp}. */
    public static String timestamp(Instant t, ZoneId zone) {
        return STAMP.format(t.atZone(zone));
    }

    /** When run {@code id} started, to the second, as {@link #next} wrote it in {@code zone}. */
    public static Optional<Instant> started(String id, ZoneId zone) {
        if (!isValid(id)) {
            return Optional.empty();
        }
        return Optional.of(java.time.LocalDateTime.parse(id.substring(0, 15), STAMP).atZone(zone).toInstant());
    }

    public static boolean isValid(String id) {
        return FORM.matcher(id).matches();
    }
}
