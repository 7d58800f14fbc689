package dev.opsctl.engine.plan;

import java.time.Duration;
import java.util.Optional;

/**
 * A trigger as {@code opsctl plan} shows it: its condition ({@code step 'restart-docker' failed (exit)},
 * {@code http GET http://...: 'status >= 500'}), how long it must hold and how often it is sampled, and
 * what it would do ({@code action}, with {@code effect} spelling it out for this runbook's strategy).
 */
public record PlannedTrigger(String name, String condition, Optional<Duration> forDuration, Optional<Duration> interval,
        int failureLimit, String action, Optional<Duration> askTimeout, Optional<String> onTimeout, String effect) {}
