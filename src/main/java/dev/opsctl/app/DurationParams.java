package dev.opsctl.app;

import dev.opsctl.action.TemplatedDuration;
import dev.opsctl.engine.execute.Masks;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.template.MapScope;
import dev.opsctl.template.Quoting;
import dev.opsctl.template.Template;
import dev.opsctl.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Renders, with the run's params alone, every templated duration of the runbook's steps and rollback
 * (a retry {@code delay}, a wait's {@code interval}...). One that the params make no duration above 0s
 * is refused before the run starts: found when its step runs, it would fail a host already drained.
 * A template that needs more than the params (a host's variables) is left to its step.
 */
final class DurationParams {
    private DurationParams() {}

    static List<String> problems(Runbook runbook, Map<String, Object> params) {
        UnaryOperator<String> mask = Masks.forRun(params, Optional.empty());
        List<String> out = new ArrayList<>();
        List<Step> steps = new ArrayList<>(runbook.steps());
        steps.addAll(runbook.rollback());
        for (Step step : steps) {
            Map<String, TemplatedDuration> durations = new LinkedHashMap<>();
            durations.put("'delay'", step.delay());
            durations.putAll(step.action().durations());
            durations.forEach((what, d) -> d.template().ifPresent(t -> {
                String text;
                try {
                    text = Template.parse(t).render(new MapScope(params), Quoting.NONE);
                } catch (TemplateException needsMoreThanParams) {
                    return;
                }
                try {
                    d.resolve(x -> text, mask, what + " of step '" + step.id() + "'");
                } catch (TemplatedDuration.Invalid e) {
                    out.add(e.getMessage() + ": give the param a duration above 0s");
                }
            }));
        }
        return out;
    }
}
