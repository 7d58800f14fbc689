/**
 * The {@code monitor} step type: watches a host for a while, letting the engine sample the runbook's
 * probe triggers every interval through {@link dev.opsctl.action.StepContext#watch}. Knows nothing of
 * triggers itself.
 */
package dev.opsctl.action.monitor;
