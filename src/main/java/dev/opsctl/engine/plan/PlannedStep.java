package dev.opsctl.engine.plan;

import java.time.Duration;

/**
 * A step as the plan shows it. {@code conditional}: the step has a {@code when} that can only be
 * decided while running, so it may be skipped. {@code onController}: it runs on this machine on the
 * host's behalf.
 */
public record PlannedStep(String id, String title, String type, String summary, boolean conditional,
        boolean onController, boolean sudo, Duration estimate) {}
