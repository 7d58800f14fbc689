package dev.opsctl.engine.journal;

/**
 * A gate journaled as passed: its phase ({@code before_run}, {@code before_host}, ...), checklist, and
 * host ({@code ""} for a run-wide gate). A resume does not ask such a gate again.
 */
public record GatePass(String phase, String checklist, String host) {}
