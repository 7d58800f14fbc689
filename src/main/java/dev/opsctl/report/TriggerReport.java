package dev.opsctl.report;

import java.time.Instant;

/** A trigger that fired on a host, what it asked for (rollback, ask, halt) and the evidence it saw. */
public record TriggerReport(Instant time, String host, String trigger, String action, String evidence) {}
