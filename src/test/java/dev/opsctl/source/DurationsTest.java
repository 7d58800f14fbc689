package dev.opsctl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesWhatOperatorsWrite() {
        assertEquals(Optional.of(Duration.ofMinutes(90)), Durations.parse("1h30m"));
        assertEquals(Optional.of(Duration.ofSeconds(45)), Durations.parse("45"));
        assertEquals(Optional.empty(), Durations.parse("5 min"));
    }

    @Test
    void numbersTooLargeAreNotDurationsRatherThanExceptions() {
        assertEquals(Optional.empty(), Durations.parse("99999999999999999999"));
        assertEquals(Optional.empty(), Durations.parse("9223372036854775807d"));
    }
}
