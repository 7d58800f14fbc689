package dev.opsctl.action.docker;

import java.util.Optional;

/**
 * A {@code docker} step: its operation, an optional {@code expect} condition over the result's
 * fields, and the daemon's socket on the host.
 */
public record DockerSpec(DockerOp op, Optional<String> expect, String socket) {}
