package dev.opsctl.engine.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {
    @Test
    void containsTimesInsideTheWindowInItsZone() {
        MaintenanceWindow w = MaintenanceWindow.parse("02:00-05:00 Asia/Tokyo");
        assertTrue(w.contains(Instant.parse("2026-11-21T17:30:00Z"))); // 02:30 in Tokyo
        assertFalse(w.contains(Instant.parse("2026-11-21T20:00:00Z"))); // 05:00 in Tokyo: end is exclusive
        assertFalse(w.contains(Instant.parse("2026-11-22T03:00:00Z"))); // 12:00 in Tokyo
    }

    @Test
    void windowMayWrapMidnight() {
        MaintenanceWindow w = MaintenanceWindow.parse("22:00-02:00 UTC");
        assertTrue(w.contains(Instant.parse("2026-11-22T23:10:00Z")));
        assertTrue(w.contains(Instant.parse("2026-11-22T01:59:00Z")));
        assertFalse(w.contains(Instant.parse("2026-11-22T02:00:00Z")));
        assertFalse(w.contains(Instant.parse("2026-11-22T12:00:00Z")));
    }

    @Test
    void refusalNamesTheWindowAndTheTimeThere() {
        MaintenanceWindow w = MaintenanceWindow.parse("02:00-05:00 Asia/Tokyo");
        assertEquals("outside the maintenance window '02:00-05:00 Asia/Tokyo': it is 12:00 in Asia/Tokyo; "
                + "start inside the window or pass --ignore-window", w.refusal(Instant.parse("2026-11-22T03:00:00Z")));
    }

    @Test
    void badWindowsAreRejectedWithTheExpectedForm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.parse("2am-5am"));
        assertTrue(e.getMessage().contains("'HH:MM-HH:MM Zone'"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.parse("02:00-05:00 Mars/Base"))
                .getMessage().contains("unknown time zone 'Mars/Base'"));
    }
}
