/**
 * Runs a planned runbook: batches in order, hosts of a batch concurrently up to {@code forks},
 * steps of a host in order with {@code when}, retries, {@code until}, timeouts, {@code register}
 * and {@code ignore_errors}. Reaches hosts only through {@link dev.opsctl.engine.execute.TargetProvider}
 * and reports only through events. Gates and triggers plug in through {@link dev.opsctl.engine.execute.HostHooks}.
 */
package dev.opsctl.engine.execute;
