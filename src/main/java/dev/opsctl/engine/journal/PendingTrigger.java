package dev.opsctl.engine.journal;

/**
 * A trigger the journal saw fire on a host, with what it asked for ({@code action}: rollback,
 * rollback-all, halt, ask, pause), and then nothing more of that host: opsctl stopped (killed, a
 * power cut) before the rollback started or the host finished. A resume carries out what the trigger
 * asked for instead of going on with the host's steps, which the trigger had stopped.
 */
public record PendingTrigger(String trigger, String action, String evidence) {}
