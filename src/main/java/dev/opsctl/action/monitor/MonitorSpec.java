package dev.opsctl.action.monitor;

import java.time.Duration;

/** {@code monitor: {duration: 5m, interval: 10s}}. */
public record MonitorSpec(Duration duration, Duration interval) {}
