package dev.opsctl.action.monitor;

import dev.opsctl.action.TemplatedDuration;
import java.time.Duration;

/** {@code monitor: {duration: 5m, interval: 10s}}; the duration may be a template ({@code "{{ monitor_duration }}"}). */
public record MonitorSpec(TemplatedDuration duration, Duration interval) {
    public MonitorSpec(Duration duration, Duration interval) {
        this(TemplatedDuration.of(duration), interval);
    }
}
