package dev.opsctl.action.sleep;

import java.time.Duration;

/** How long to pause. */
public record SleepSpec(Duration duration) {}
