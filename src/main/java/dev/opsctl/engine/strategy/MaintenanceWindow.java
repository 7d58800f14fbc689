package dev.opsctl.engine.strategy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A daily window such as {@code "02:00-05:00 Asia/Tokyo"}; it may wrap midnight ({@code 22:00-02:00}). */
public record MaintenanceWindow(LocalTime start, LocalTime end, ZoneId zone, String text) {
    private static final Pattern FORM = Pattern.compile("(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})(?:\\s+(\\S+))?");
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("H:mm");

    /** Parses; a malformed text throws {@link IllegalArgumentException} with a message for the operator. */
    public static MaintenanceWindow parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad maintenance window '" + text + "': expected 'HH:MM-HH:MM Zone', e.g. '02:00-05:00 Asia/Tokyo'");
        }
        try {
            ZoneId zone = m.group(3) == null ? ZoneId.of("UTC") : ZoneId.of(m.group(3));
            return new MaintenanceWindow(LocalTime.parse(m.group(1), HH_MM), LocalTime.parse(m.group(2), HH_MM), zone, text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad maintenance window '" + text + "': times must be HH:MM between 00:00 and 23:59");
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("bad maintenance window '" + text + "': unknown time zone '" + m.group(3) + "'");
        }
    }

    public boolean contains(Instant now) {
        LocalTime t = now.atZone(zone).toLocalTime();
        if (start.equals(end)) {
            return true;
        }
        if (start.isBefore(end)) {
            return !t.isBefore(start) && t.isBefore(end);
        }
        return !t.isBefore(start) || t.isBefore(end);
    }

    /** Why a host may not start now: names the window and the time it is there. */
    public String refusal(Instant now) {
        String there = now.atZone(zone).toLocalTime().format(DateTimeFormatter.ofPattern("HH:mm"));
        return "outside the maintenance window '" + text + "': it is " + there + " in " + zone.getId()
                + "; start inside the window or pass --ignore-window";
    }
}
