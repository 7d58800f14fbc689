/**
 * How hosts are taken: batches from {@code serial}, the failure budget ({@code max_failures},
 * {@code continue_on_failure}) and the maintenance window. Pure decisions, no I/O.
 */
package dev.opsctl.engine.strategy;
