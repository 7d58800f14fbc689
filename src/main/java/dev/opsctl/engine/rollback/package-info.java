/**
 * Rollback: the runbook's {@code rollback:} steps for one host, in order, stopping at the first
 * failure (a human must then act: exit 4); the order hosts are rolled back in; and which hosts of a
 * journaled run {@code runs rollback} takes. It acts on verdicts, never decides them. Runs steps only
 * through the executor {@code engine.execute} hands it, so it imports nothing of the host loop.
 */
package dev.opsctl.engine.rollback;
