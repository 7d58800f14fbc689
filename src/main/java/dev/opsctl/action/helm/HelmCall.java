package dev.opsctl.action.helm;

import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.helm.HelmTarget;
import dev.opsctl.template.TemplateException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One running {@code helm} step: Helm, the step's rendered context and namespace, the runbook's directory and the step context. */
record HelmCall(HelmTarget helm, String context, String namespace, Path baseDir, StepContext ctx) {
    /** The chart with its paths resolved against the runbook's directory and every value rendered; nameOverride as a --set. */
    HelmTarget.Chart chart(HelmOp.Chart c, String release) throws TemplateException {
        Path chart = baseDir.resolve(ctx.render(c.chart()).strip());
        List<Path> values = new ArrayList<>();
        for (String v : c.valuesFiles()) {
            values.add(baseDir.resolve(ctx.render(v).strip()));
        }
        Map<String, String> set = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : c.set().entrySet()) {
            set.put(e.getKey(), ctx.render(e.getValue()));
        }
        if (c.nameOverride().isPresent()) {
            set.put("nameOverride", ctx.render(c.nameOverride().get()).strip());
        }
        return new HelmTarget.Chart(chart, release, namespace, values, set);
    }

    String render(String template) throws TemplateException {
        return ctx.render(template).strip();
    }

    /** For messages: {@code release 'web' in namespace 'prod'}. */
    String describe(String release) {
        return "release '" + release + "' in namespace '" + namespace + "'";
    }

    /** The step's own timeout caps an operation's. */
    Duration cap(Duration d) {
        return ctx.timeout().filter(t -> t.compareTo(d) < 0).orElse(d);
    }

    StepResult result(StepResult.Outcome outcome, String message, Map<String, Object> data, String stdout) {
        return new StepResult(outcome, outcome.succeeded() ? 0 : 1, ctx.mask(stdout), "", ctx.mask(message), data, Duration.ZERO);
    }

    static TargetException failed(String why) {
        return TargetException.remoteFailed("helm", why);
    }
}
