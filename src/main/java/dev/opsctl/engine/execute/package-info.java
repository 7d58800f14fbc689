/**
 * Runs a planned runbook: batches in order, hosts of a batch concurrently up to {@code forks} (and at
 * most {@code max_out_of_service} out of service), steps of a host in order with {@code when}, retries,
 * {@code until}, timeouts, {@code register} and {@code ignore_errors}. Reaches hosts only through
 * {@link dev.opsctl.engine.execute.TargetProvider} and reports only through events. Gates and triggers
 * plug in through {@link dev.opsctl.engine.execute.HostHooks}; their verdicts are applied in one place,
 * {@code VerdictPoint} (rollback, rollback-all, halt, ask, pause).
 */
package dev.opsctl.engine.execute;
