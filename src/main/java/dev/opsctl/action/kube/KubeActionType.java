package dev.opsctl.action.kube;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.Node;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.kube.KubeConnections;
import dev.opsctl.target.kube.KubeTarget;
import dev.opsctl.template.TemplateException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kube}: one operation on a Kubernetes cluster, from the controller through the kubeconfig
 * (or the pod's service account). Usable as a step, a checklist probe or a trigger probe: every
 * operation reports typed fields ({@code value}, {@code count}, {@code ready}, ...).
 */
public final class KubeActionType implements ActionType<KubeSpec> {
    private static final Set<String> FIELDS = Set.of("value", "object", "items", "count", "exists", "restarts", "ready", "applied",
            "names", "replicas", "previous_replicas", "deleted", "image", "previous_image", "reason", "updated_replicas",
            "available_replicas", "ready_replicas", "revision", "revisions", "from_revision", "images", "exit_code", "pod", "logs",
            "lines", "events", "warnings", "reasons", "status", "body", "latency_ms", "local_port", "phase", "waiting", "terminated",
            "exit_codes");

    private final KubeConnections connections;

    /** Clusters from this process's environment ({@code KUBECONFIG}, {@code ~/.kube/config}, in-cluster). */
    public KubeActionType() {
        this(KubeConnections.fromEnvironment(System.getenv()));
    }

    public KubeActionType(KubeConnections connections) {
        this.connections = connections;
    }

    @Override
    public String name() {
        return "kube";
    }

    @Override
    public String description() {
        return "One operation on a Kubernetes cluster, run from the controller: 'context' and 'namespace' (default: the "
                + "kubeconfig's) and exactly one of get (kind + name or selector, optional 'field' path such as "
                + "status.conditions[type=Available].status), apply (manifest or file; server-side apply, else create-or-replace), "
                + "label, annotate, scale, patch (json or merge), delete (optionally waiting), set_image, rollout_status (watches "
                + "until complete; fails on ProgressDeadlineExceeded), rollout_history, rollout_undo (to_revision), wait (until a "
                + "condition over 'value'/'object', or condition: Available), exec, logs (previous, tail), events, and port_forward "
                + "(an HTTP check through a forwarded port). Results: value, object, items, count, ready, restarts, revision, ...; "
                + "a get of pods adds phase and, over their containers, waiting and terminated (reasons) and exit_codes.";
    }

    @Override
    public String example() {
        return """
                - id: deploy-image
                  kube:
                    namespace: "{{ namespace }}"
                    set_image: {deployment: api-server, container: api, image: "registry.example/api:{{ version }}"}
                """;
    }

    @Override
    public Optional<KubeSpec> parse(Node node, ParseContext ctx) {
        return KubeParser.parse(node, ctx);
    }

    @Override
    public Optional<Set<String>> resultFields() {
        return Optional.of(FIELDS);
    }

    @Override
    public StepResult execute(KubeSpec spec, StepContext ctx) throws TargetException, InterruptedException {
        KubeCall call;
        try {
            Optional<String> context = spec.context().isPresent() ? Optional.of(ctx.render(spec.context().get())) : Optional.empty();
            KubeTarget kube = connections.connect(context.filter(s -> !s.isBlank()));
            call = new KubeCall(kube, spec.namespace().isPresent() ? ctx.render(spec.namespace().get()).strip() : "", ctx);
        } catch (TemplateException e) {
            return StepResult.failed("cannot render the kube step: " + ctx.mask(e.getMessage()), Map.of());
        }
        try {
            return run(call, spec.op());
        } catch (TemplateException e) {
            return StepResult.failed("cannot render the kube step: " + ctx.mask(e.getMessage()), Map.of());
        } catch (TargetException e) {
            if (e.unreachable()) {
                throw e;
            }
            return StepResult.targetFailure(e, ctx.mask(e.getMessage()), Duration.ZERO);
        }
    }

    private static StepResult run(KubeCall c, KubeOp op) throws TemplateException, TargetException, InterruptedException {
        if (op instanceof KubeOp.Get g) {
            return ObjectSteps.get(c, g);
        } else if (op instanceof KubeOp.Apply a) {
            return ObjectSteps.apply(c, a);
        } else if (op instanceof KubeOp.Metadata m) {
            return ObjectSteps.metadata(c, m);
        } else if (op instanceof KubeOp.Scale s) {
            return ObjectSteps.scale(c, s);
        } else if (op instanceof KubeOp.Patch p) {
            return ObjectSteps.patch(c, p);
        } else if (op instanceof KubeOp.Delete d) {
            return ObjectSteps.delete(c, d);
        } else if (op instanceof KubeOp.Wait w) {
            return ObjectSteps.waitFor(c, w);
        } else if (op instanceof KubeOp.SetImage s) {
            return RolloutSteps.setImage(c, s);
        } else if (op instanceof KubeOp.RolloutStatus s) {
            return RolloutSteps.status(c, s);
        } else if (op instanceof KubeOp.RolloutHistory h) {
            return RolloutSteps.history(c, h);
        } else if (op instanceof KubeOp.RolloutUndo u) {
            return RolloutSteps.undo(c, u);
        } else if (op instanceof KubeOp.Exec e) {
            return PodSteps.exec(c, e);
        } else if (op instanceof KubeOp.Logs l) {
            return PodSteps.logs(c, l);
        } else if (op instanceof KubeOp.Events e) {
            return PodSteps.events(c, e);
        } else if (op instanceof KubeOp.PortForward f) {
            return PodSteps.portForward(c, f);
        }
        throw new IllegalStateException("no runner for " + op.key());
    }

    @Override
    public boolean reachesCluster(KubeSpec spec) {
        return true;
    }

    @Override
    public Duration estimate(KubeSpec spec) {
        if (spec.op() instanceof KubeOp.RolloutStatus s) {
            return s.timeout().dividedBy(4);
        }
        return Duration.ofSeconds(1);
    }

    @Override
    public String summary(KubeSpec spec) {
        KubeOp op = spec.op();
        String what;
        if (op instanceof KubeOp.Get g) {
            what = g.target().describe() + g.field().map(f -> " " + f).orElse("");
        } else if (op instanceof KubeOp.SetImage s) {
            what = s.deployment() + " " + s.container() + "=" + s.image();
        } else if (op instanceof KubeOp.RolloutStatus s) {
            what = s.deployment();
        } else if (op instanceof KubeOp.RolloutUndo u) {
            what = u.deployment() + u.toRevision().map(r -> " to " + r).orElse("");
        } else if (op instanceof KubeOp.Apply a) {
            what = a.file().map(p -> p.getFileName().toString()).orElse("manifest");
        } else {
            what = "";
        }
        return ("kube " + op.key() + " " + what).strip() + spec.namespace().map(n -> " -n " + n).orElse("");
    }
}
