package dev.opsctl.action.monitor;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code monitor: {duration: 5m, interval: 10s}}. With {@code duration: "{{ param }}"} the duration is
 * only known on the host: {@code durationTemplate} holds the template and {@code duration} is zero.
 */
public record MonitorSpec(Duration duration, Duration interval, Optional<String> durationTemplate) {
    public MonitorSpec(Duration duration, Duration interval) {
        this(duration, interval, Optional.empty());
    }
}
