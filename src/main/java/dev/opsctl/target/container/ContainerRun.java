package dev.opsctl.target.container;

import java.util.Optional;

/**
 * A container that ran: its id, and unless it was detached its exit code and combined stdout and
 * stderr (capped: {@code truncated} says so). {@code timedOut} when it was killed for outliving
 * its timeout.
 */
public record ContainerRun(String id, Optional<Integer> exitCode, String output, boolean truncated, boolean timedOut) {}
