package dev.opsctl.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.opsctl.template.MapScope;
import dev.opsctl.template.Quoting;
import dev.opsctl.template.Template;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplatedDurationTest {
    private static Duration resolve(String template, Object value) throws TemplatedDuration.Invalid {
        TemplatedDuration d = new TemplatedDuration(Duration.ZERO, Optional.of(template));
        return d.resolve(t -> Template.parse(t).render(new MapScope(Map.of("poll", value)), Quoting.NONE), s -> s, "'interval' in 'wait'");
    }

    @Test
    void aDurationParamComesBackAsItWasGivenToTheNanosecond() throws Exception {
        assertEquals(Duration.ofMillis(250), resolve("{{ poll }}", Duration.ofMillis(250)), "was 1s: rendered as whole seconds");
        assertEquals(Duration.ofMillis(90_500), resolve("{{ poll }}", Duration.ofMillis(90_500)));
        assertEquals(Duration.ofMinutes(5), resolve("{{ poll }}", Duration.ofMinutes(5)));
        assertEquals(Duration.ofNanos(1), resolve("{{ poll }}", Duration.ofNanos(1)));
    }

    @Test
    void stringsAreReadAsDurationsOrAsSecondsAndNothingElse() throws Exception {
        assertEquals(Duration.ofMinutes(5), resolve("{{ poll }}", "5m"));
        assertEquals(Duration.ofMillis(1500), resolve("{{ poll }}", "1.5"));
        TemplatedDuration.Invalid e = assertThrows(TemplatedDuration.Invalid.class, () -> resolve("{{ poll }}", "0.0"));
        assertEquals("'interval' in 'wait' is '0.0', not a duration longer than 0s (e.g. 5m)", e.getMessage());
        assertThrows(TemplatedDuration.Invalid.class, () -> resolve("{{ poll }}", "1.5.2"));
        assertThrows(TemplatedDuration.Invalid.class, () -> resolve("{{ poll }}", "1.0000000001"), "below a nanosecond");
    }
}
