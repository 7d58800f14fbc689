/**
 * Trigger evaluation: step-failure conditions, probe conditions sampled after every step and during
 * {@code monitor} steps, sustained windows ({@code for:}, like a Prometheus alert going pending then
 * firing) and {@code failure_limit} (consecutive failing samples, like Argo's analysis). It only
 * decides: the evaluator returns a {@link dev.opsctl.engine.trigger.TriggerVerdict}; the host loop in
 * {@code engine.execute} applies it at one point. May import {@code engine.execute} (the hook it plugs into).
 *
 * <p>Rules operators rely on: a failed step that no trigger matches keeps the plain behaviour (the
 * host fails, exit 1, nothing is rolled back); to roll back on any failure, declare
 * {@code when: {failed: true}} without a step. A probe that fails (refused, timed out) counts as its
 * condition holding; a probe that answered but whose condition cannot be evaluated is only noted.
 * Probe triggers are sampled after every step, including steps that take the service down on purpose:
 * give such triggers a {@code for:} or {@code failure_limit}, or guard the condition with {@code default(...)}.
 */
package dev.opsctl.engine.trigger;
