package dev.opsctl.engine.trigger;

import dev.opsctl.action.StepResult;
import dev.opsctl.template.Condition;
import dev.opsctl.template.MapScope;
import dev.opsctl.template.Scope;
import dev.opsctl.template.TemplateException;
import dev.opsctl.template.VarRef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One probe result judged against a trigger's {@code when}. The probe's fields ({@code status},
 * {@code value}, {@code rc}...) come first, then the host's variables. When the condition cannot be
 * evaluated (it reads a field the probe did not return): a probe that failed (connection refused,
 * timed out) counts as the condition holding, since a health endpoint that does not answer is not
 * healthy; a probe that answered makes the sample inconclusive (no change of state, a note). A probe that could
 * not check at all ({@link StepResult#couldNotCheck}: its host unreachable, its connection broken, it timed out, or its target
 * gave no answer to judge: a Docker daemon that does not answer, a remote error) is not judged by its placeholder fields
 * ({@code rc} 1 or -1, an empty {@code stdout}), which could read as healthy: it counts as
 * the condition holding, saying it could not check, so that it fires only as a failing probe would (for its
 * {@code for} window and samples in a row) and never passes for a healthy host.
 */
record ProbeSample(boolean holds, boolean inconclusive, String evidence, Map<String, Object> values) {
    private static final int MAX_VALUE_CHARS = 200;

    static ProbeSample judge(String when, StepResult probe, Map<String, Object> variables) {
        Map<String, Object> fields = probe.fields();
        if (probe.couldNotCheck()) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("outcome", fields.get("outcome"));
            values.put("message", shown(probe.message()));
            return new ProbeSample(true, false, "could not check (" + probe.message() + "), so '" + when
                    + "' counts as holding", values);
        }
        Scope scope = new MapScope(fields).orElse(new MapScope(variables));
        Condition c;
        try {
            c = Condition.parse(when);
        } catch (TemplateException e) {
            return new ProbeSample(false, true, "cannot parse '" + when + "': " + e.getMessage(), Map.of());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (VarRef r : c.references()) {
            scope.lookup(r.path()).ifPresent(v -> values.put(r.dotted(), shown(v)));
        }
        try {
            boolean holds = c.test(scope);
            return new ProbeSample(holds, false, "'" + when + "' " + (holds ? "holds" : "does not hold") + describe(values),
                    values);
        } catch (TemplateException e) {
            if (!probe.succeeded()) {
                Map<String, Object> failed = new LinkedHashMap<>(values);
                failed.put("outcome", fields.get("outcome"));
                failed.put("message", shown(probe.message()));
                return new ProbeSample(true, false, "the probe failed (" + probe.message() + "), so '" + when
                        + "' counts as holding", failed);
            }
            return new ProbeSample(false, true, "cannot evaluate '" + when + "' on the probe's result: " + e.getMessage(), values);
        }
    }

    private static String describe(Map<String, Object> values) {
        if (values.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(":");
        values.forEach((k, v) -> b.append(' ').append(k).append('=').append(v instanceof String s ? "'" + s + "'" : v));
        return b.toString();
    }

    private static Object shown(Object v) {
        if (v instanceof String s && s.length() > MAX_VALUE_CHARS) {
            return s.substring(0, MAX_VALUE_CHARS) + "...";
        }
        return Optional.ofNullable(v).orElse("");
    }
}
