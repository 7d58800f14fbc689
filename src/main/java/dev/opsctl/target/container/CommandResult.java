package dev.opsctl.target.container;

/** What a command run in a container left: exit code (-1 when it timed out) and its output. */
public record CommandResult(int exitCode, String stdout, String stderr, boolean timedOut) {}
