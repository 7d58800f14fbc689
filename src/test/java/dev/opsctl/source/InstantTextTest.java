package dev.opsctl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstantTextTest {
    @Test
    void readsEveryInstantAsTheJdkDoes() {
        Random random = new Random(20261124);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long seconds = min + (long) (random.nextDouble() * (max - min));
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nanos);
            assertEquals(t, InstantText.parse(t.toString()), t.toString());
        }
    }

    @Test
    void answersOtherTextAsInstantParseDoes() {
        List<String> texts = List.of("2024-02-29T23:59:59Z", "2026-11-24T05:30:12.1Z", "2026-11-24T05:30:12.12345678Z",
                "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2026-11-24T05:30:12+09:00", "2026-11-24T05:30Z",
                "2026-11-24T24:00:00Z", "2026-11-24T05:30:12.Z", "", "2026-02-30T00:00:00Z", "2023-02-29T00:00:00Z",
                "2026-13-01T00:00:00Z", "2026-11-24T05:60:00Z", "2026-11-24T23:59:60Z", "2026-11-24T05:30:12.1234567890Z",
                "2026-11-24T05:30:1xZ", "2026-11-24 05:30:12Z", "2026-11-24T05:30:12", "２０２６-11-24T05:30:12Z");
        int rejected = 0;
        for (String text : texts) {
            Instant expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeParseException e) {
                rejected++;
                assertThrows(DateTimeParseException.class, () -> InstantText.parse(text), text);
                continue;
            }
            assertEquals(expected, InstantText.parse(text), text);
        }
        assertEquals(true, rejected >= 8, "some of them are errors: " + rejected);
    }
}
