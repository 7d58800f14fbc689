package dev.opsctl.action.helm;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.Node;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.helm.HelmTarget;
import dev.opsctl.target.kube.KubeClientFactory;
import dev.opsctl.target.kube.KubeConnections;
import dev.opsctl.target.kube.KubeTarget;
import dev.opsctl.template.TemplateException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code helm}: one Helm operation, from the controller. {@code template} and {@code lint} run offline;
 * the release operations reach the cluster of {@code context} (the kubeconfig's current one, or the pod's
 * service account) as the {@code kube} step does, either through Helm ({@code via: helm}) or by applying
 * Helm's rendering through the kube target ({@code via: kube}). Helm's native library loads on the first
 * helm step, never at start-up.
 */
public final class HelmActionType implements ActionType<HelmSpec> {
    private static final Set<String> FIELDS = Set.of("release", "namespace", "revision", "status", "chart", "app_version", "objects",
            "kinds", "names", "applied", "deleted", "manifest", "revisions", "messages");

    /** The kubeconfig text Helm is given for a context (empty: Helm finds the cluster itself, e.g. in a pod). */
    public interface Kubeconfigs {
        String kubeconfig(Optional<String> context) throws TargetException;
    }

    private final KubeConnections connections;
    private final Kubeconfigs kubeconfigs;
    private final HelmTarget helm;

    /** Clusters from this process's environment ({@code KUBECONFIG}, {@code ~/.kube/config}, in-cluster); helm-java loaded lazily. */
    public HelmActionType() {
        this(KubeConnections.fromEnvironment(System.getenv()), KubeClientFactory.fromEnvironment(System.getenv())::kubeconfigFor,
                HelmTarget.lazy());
    }

    public HelmActionType(KubeConnections connections, Kubeconfigs kubeconfigs, HelmTarget helm) {
        this.connections = connections;
        this.kubeconfigs = kubeconfigs;
        this.helm = helm;
    }

    @Override
    public String name() {
        return "helm";
    }

    @Override
    public String description() {
        return "One Helm 3 operation, run from the controller: 'context' and 'namespace' as for kube, and exactly one of install, "
                + "upgrade (install: true for upgrade --install), uninstall, rollback (revision; 0 = the previous), status, history, "
                + "template (the rendered manifest) or lint. A chart is a directory or .tgz relative to the runbook, with 'values' files, "
                + "'set' (--set; may hold secrets, masked) and 'name_override'. 'via: kube' renders with Helm and applies the objects "
                + "through the kube target with Helm's ownership labels and annotations and records each revision in a Secret "
                + "'opsctl.helm.<release>.v<N>' (manifest and a digest of the values), which history and rollback read. Results: release, namespace, revision, status, objects, names, kinds, manifest, revisions, messages";
    }

    @Override
    public String example() {
        return """
                - id: install-green
                  helm:
                    namespace: "{{ params.namespace }}"
                    upgrade:
                      release: "{{ params.release }}"
                      chart: "{{ params.chart }}"
                      set: {image.tag: "{{ params.tag }}"}
                      install: true
                      wait: true
                      timeout: 10m
                """;
    }

    @Override
    public Optional<HelmSpec> parse(Node node, ParseContext ctx) {
        return HelmParser.parse(node, ctx);
    }

    @Override
    public Optional<Set<String>> resultFields() {
        return Optional.of(FIELDS);
    }

    @Override
    public StepResult execute(HelmSpec spec, StepContext ctx) throws TargetException, InterruptedException {
        try {
            return run(spec, ctx);
        } catch (TemplateException e) {
            return StepResult.failed("cannot render the helm step: " + ctx.mask(e.getMessage()), Map.of());
        } catch (TargetException e) {
            if (e.unreachable()) {
                throw new TargetException(e.kind(), e.host(), ctx.mask(e.getMessage()));
            }
            return StepResult.targetFailure(e, ctx.mask(e.getMessage()), Duration.ZERO);
        }
    }

    private StepResult run(HelmSpec spec, StepContext ctx) throws TemplateException, TargetException, InterruptedException {
        HelmOp op = spec.op();
        Optional<String> context = spec.context().isPresent() ? Optional.of(ctx.render(spec.context().get()).strip()) : Optional.empty();
        context = context.filter(s -> !s.isBlank());
        String ns = spec.namespace().isPresent() ? ctx.render(spec.namespace().get()).strip() : "";
        if (op instanceof HelmOp.Template t) {
            return HelmSteps.template(new HelmCall(helm, "", ns.isEmpty() ? "default" : ns, spec.baseDir(), ctx), t);
        } else if (op instanceof HelmOp.Lint l) {
            return HelmSteps.lint(new HelmCall(helm, "", ns.isEmpty() ? "default" : ns, spec.baseDir(), ctx), l);
        }
        KubeTarget kube = connections.connect(context);
        HelmCall c = new HelmCall(helm, kube.context(), ns.isEmpty() ? kube.namespace() : ns, spec.baseDir(), ctx);
        HelmOp.Via via = via(op);
        if (spec.via().isPresent()) {
            String v = ctx.render(spec.via().get()).strip();
            if (!v.equals("helm") && !v.equals("kube")) {
                return StepResult.failed("'via' of the helm step is '" + ctx.mask(v) + "', not helm or kube", Map.of());
            }
            via = v.equals("kube") ? HelmOp.Via.KUBE : HelmOp.Via.HELM;
        }
        if (via == HelmOp.Via.KUBE) {
            WrittenKube written = new WrittenKube(kube);
            try {
                return viaKube(c, written, op);
            } catch (TargetException e) {
                throw written.inPart(c.describe(c.render(release(op))), e);
            }
        }
        HelmTarget.Cluster k = new HelmTarget.Cluster(kubeconfigs.kubeconfig(context), kube.context());
        try {
            return viaHelm(c, kube, k, op);
        } catch (TargetException e) {
            throw onCluster(kube.context(), e);
        }
    }

    private static StepResult viaHelm(HelmCall c, KubeTarget kube, HelmTarget.Cluster k, HelmOp op)
            throws TemplateException, TargetException, InterruptedException {
        if (op instanceof HelmOp.Rollback r) {
            return HelmSteps.rollback(c, kube, k, r);
        }
        if (op instanceof HelmOp.Deploy d) {
            return HelmSteps.deploy(c, k, d);
        } else if (op instanceof HelmOp.Uninstall u) {
            return HelmSteps.uninstall(c, k, u);
        } else if (op instanceof HelmOp.Status s) {
            return HelmSteps.status(c, k, s);
        } else if (op instanceof HelmOp.History h) {
            return HelmSteps.history(c, k, h);
        }
        throw new IllegalStateException("no runner for " + op.key());
    }

    /** Helm's failure naming the cluster it was about, as the kube target's do: {@code kube context 'prod': cannot upgrade ...}. */
    private static TargetException onCluster(String context, TargetException e) {
        if (e.getMessage().startsWith("kube context '")) {
            return e;
        }
        TargetException named = new TargetException(e.kind(), e.host(), "kube context '" + context + "': " + e.getMessage(), e)
                .withLostCommand(e.lostCommand());
        // a change Helm ran out of time under may have been written: that must survive the renaming, or it is retried
        return e.kind() == TargetException.Kind.TIMEOUT && e.mayStillRun() ? named.withChangeUnanswered() : named;
    }

    private static StepResult viaKube(HelmCall c, KubeTarget kube, HelmOp op) throws TemplateException, TargetException, InterruptedException {
        if (op instanceof HelmOp.Deploy d) {
            return ViaKube.deploy(c, kube, d);
        } else if (op instanceof HelmOp.Uninstall u) {
            return ViaKube.uninstall(c, kube, u);
        } else if (op instanceof HelmOp.Status s) {
            return ViaKube.status(c, kube, s);
        } else if (op instanceof HelmOp.History h) {
            return ViaKubeHistory.history(c, kube, h);
        }
        return ViaKubeHistory.rollback(c, kube, (HelmOp.Rollback) op);
    }

    /** The release a release operation is about (its template). */
    private static String release(HelmOp op) {
        if (op instanceof HelmOp.Deploy d) {
            return d.release();
        } else if (op instanceof HelmOp.Uninstall u) {
            return u.release();
        } else if (op instanceof HelmOp.Status s) {
            return s.release();
        } else if (op instanceof HelmOp.History h) {
            return h.release();
        }
        return ((HelmOp.Rollback) op).release();
    }

    private static HelmOp.Via via(HelmOp op) {
        if (op instanceof HelmOp.Deploy d) {
            return d.via();
        } else if (op instanceof HelmOp.Uninstall u) {
            return u.via();
        } else if (op instanceof HelmOp.Status s) {
            return s.via();
        } else if (op instanceof HelmOp.Rollback r) {
            return r.via();
        } else if (op instanceof HelmOp.History h) {
            return h.via();
        }
        return HelmOp.Via.HELM;
    }

    /** Every operation but the offline {@code template} and {@code lint}. */
    @Override
    public boolean reachesCluster(HelmSpec spec) {
        return !(spec.op() instanceof HelmOp.Template || spec.op() instanceof HelmOp.Lint);
    }

    @Override
    public Duration estimate(HelmSpec spec) {
        if (spec.op() instanceof HelmOp.Deploy d && d.waitReady()) {
            return d.timeout().dividedBy(4);
        }
        return Duration.ofSeconds(2);
    }

    @Override
    public String summary(HelmSpec spec) {
        HelmOp op = spec.op();
        String what;
        if (op instanceof HelmOp.Deploy d) {
            what = d.release() + " " + d.chart().chart() + (d.install() ? " --install" : "") + (d.via() == HelmOp.Via.KUBE ? " (via kube)" : "");
        } else if (op instanceof HelmOp.Uninstall u) {
            what = u.release() + (u.via() == HelmOp.Via.KUBE ? " (via kube)" : "");
        } else if (op instanceof HelmOp.Rollback r) {
            what = r.release() + (r.revision() > 0 ? " " + r.revision() : "") + (r.via() == HelmOp.Via.KUBE ? " (via kube)" : "");
        } else if (op instanceof HelmOp.Status s) {
            what = s.release() + (s.via() == HelmOp.Via.KUBE ? " (via kube)" : "");
        } else if (op instanceof HelmOp.History h) {
            what = h.release() + (h.via() == HelmOp.Via.KUBE ? " (via kube)" : "");
        } else if (op instanceof HelmOp.Template t) {
            what = t.release() + " " + t.chart().chart();
        } else {
            what = ((HelmOp.Lint) op).chart().chart();
        }
        return ("helm " + op.key() + " " + what).strip() + spec.namespace().map(n -> " -n " + n).orElse("");
    }
}
