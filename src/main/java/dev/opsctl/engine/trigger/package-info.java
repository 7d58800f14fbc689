/**
 * Trigger evaluation: step-failure conditions, probe conditions sampled after every step and during
 * {@code monitor} steps, sustained windows ({@code for:}, like a Prometheus alert going pending then
 * firing) and {@code failure_limit} (consecutive failing samples, like Argo's analysis). It only
 * decides: the evaluator returns a {@link dev.opsctl.engine.trigger.TriggerVerdict}; the host loop in
 * {@code engine.execute} applies it. May import {@code engine.execute} (the hook interface it plugs into).
 */
package dev.opsctl.engine.trigger;
