package dev.opsctl.action.kube;

import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.kube.KubeRef;
import dev.opsctl.target.kube.KubeTarget;
import dev.opsctl.template.TemplateException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One running {@code kube} step: the cluster, the step's namespace (empty: the context's) and the step context. */
record KubeCall(KubeTarget kube, String namespace, StepContext ctx) {
    KubeRef ref(KubeOp.Ref r) throws TemplateException {
        String kind = ctx.render(r.kind());
        String canonical = dev.opsctl.target.kube.KubeKinds.find(kind).map(dev.opsctl.target.kube.KubeKinds.Kind::name).orElse(kind);
        return new KubeRef(ctx.render(r.apiVersion()), canonical, ctx.render(r.name()), namespace, ctx.render(r.selector()));
    }

    /** The namespace objects land in, for messages. */
    String ns() {
        return namespace.isEmpty() ? kube.namespace() : namespace;
    }

    KubeRef inNs(KubeRef r) {
        return r.namespace().isEmpty() ? r.withNamespace(ns()) : r;
    }

    /** The step's own timeout caps an operation's. */
    Duration cap(Duration d) {
        return ctx.timeout().filter(t -> t.compareTo(d) < 0).orElse(d);
    }

    /** A pod by name, or the first running pod (else the first pod) the selector matches. */
    KubeRef pod(KubeOp.Ref r) throws TemplateException, TargetException, InterruptedException {
        KubeRef ref = ref(r);
        if (ref.byName()) {
            return ref;
        }
        List<Map<String, Object>> pods = kube.list(ref);
        if (pods.isEmpty()) {
            throw TargetException.remoteFailed(kube.context(), "no pod with labels '" + ref.selector() + "' in namespace '" + ns() + "'");
        }
        Map<String, Object> pick = pods.stream().filter(p -> "Running".equals(Results.str(p, "status", "phase"))).findFirst().orElse(pods.get(0));
        return ref.withName(Results.str(pick, "metadata", "name"));
    }

    StepResult result(StepResult.Outcome outcome, String message, Map<String, Object> data, String stdout) {
        return new StepResult(outcome, outcome.succeeded() ? 0 : 1, ctx.mask(stdout), "", ctx.mask(message), data, Duration.ZERO);
    }
}
