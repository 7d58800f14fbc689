/**
 * The {@code include} step type: {@code include: other.yaml} or {@code include: {file: other.yaml, vars: {...}}}.
 * It never runs; the runbook loader expands it in place at load time.
 */
package dev.opsctl.action.include;
