package dev.opsctl.action.docker;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.Node;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.container.ContainerBackend;
import dev.opsctl.target.container.ContainerPlacement;
import dev.opsctl.target.docker.DockerTarget;
import dev.opsctl.target.docker.DockerTargets;
import dev.opsctl.template.TemplateException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code docker}: one operation on the host's Docker daemon, as a step or as a probe. A daemon that
 * does not answer fails the step (the host itself may be fine, and rollback can still reach it);
 * only a host that cannot be reached at all is UNREACHABLE. A connection to the host that broke under a
 * call that changes something is connection_lost, saying whether it may still be taking effect (the engine
 * then halts as for a shell command); under a read, which the target asks again once, a plain failure. A change
 * the daemon went silent under, or an exec that outlived its timeout, is timed out and may still be running.
 */
public final class DockerActionType implements ActionType<DockerSpec> {
    /** Every field some operation reports; {@code expect}, {@code until} and a trigger's {@code when} may read them. */
    static final Set<String> FIELDS = Set.of(
            "name", "server_version", "root_dir", "security_options", "userns", "containers", "containers_running",
            "count", "ids", "names", "stopped", "forced", "still_running",
            "id", "output", "value", "present", "loaded", "pulled", "attempts");

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public String description() {
        return "One operation on the host's Docker daemon, reached through the host's own connection (over SSH a private "
                + "forwarded socket; nothing is opened on the host). 'info: {}' reports security_options, userns, root_dir, "
                + "server_version, containers and containers_running. 'ps: {label, all}' reports count, ids and names. "
                + "'stop: {label | ids, timeout (10s), force_after (true)}' sends each container its stop signal, waits, "
                + "then kills the rest; reports stopped, forced, still_running. 'run: {image, command, user, labels, network, "
                + "runtime, rm (true), detach, name, expect_output, timeout (5m)}' reports rc, output and id; a string command runs "
                + "through 'sh -c'; 'runtime' is a sandboxing runtime (docker --runtime runsc, or a Kubernetes RuntimeClass such "
                + "as gvisor with --backend kubernetes), empty for the default. 'inspect: {container, field: State.Pid}' reports value. 'exec: {container, command}' "
                + "reports rc, stdout, stderr. 'image: {name, load: /tar/on/host | upload: local.tar | pull: true}' makes "
                + "sure the image is present; reports present, loaded, pulled. 'wait: {timeout (60s), interval (2s)}' polls "
                + "until the daemon answers. 'expect' is a condition over the result, e.g. 'userns' or 'count == 0'; "
                + "'socket' is the daemon's socket on the host (default /var/run/docker.sock).";
    }

    @Override
    public String example() {
        return """
                id: verify-userns
                docker:
                  run:
                    image: workspace-base:latest
                    command: [id]
                    network: none
                    labels: {opsctl: verify}
                    expect_output: uid=1000
                    timeout: 30s
                """;
    }

    @Override
    public Optional<DockerSpec> parse(Node node, ParseContext ctx) {
        return DockerParser.parse(node, ctx);
    }

    @Override
    public Optional<Set<String>> resultFields() {
        return Optional.of(FIELDS);
    }

    @Override
    public StepResult execute(DockerSpec spec, StepContext ctx) throws TargetException, InterruptedException {
        long start = System.nanoTime();
        StepResult r;
        try {
            r = ctx.target() instanceof ContainerPlacement placed ? placed(spec.op(), placed, ctx)
                    : run(spec.op(), DockerTargets.of(ctx.target(), spec.socket()), ctx);
        } catch (TemplateException e) {
            return StepResult.failed("cannot render 'docker " + spec.op().key() + "': " + ctx.mask(e.getMessage()), Map.of());
        } catch (TargetException e) {
            if (!DockerTargets.daemonNotAnswering(e) && e.kind() != TargetException.Kind.REMOTE_FAILED
                    && e.kind() != TargetException.Kind.TIMEOUT && e.kind() != TargetException.Kind.CONNECTION_LOST) {
                throw e;
            }
            return StepResult.targetFailure(e, ctx.mask(e.getMessage()), Duration.ofNanos(System.nanoTime() - start));
        }
        if (r.elapsed().isZero()) {
            r = r.withElapsed(Duration.ofNanos(System.nanoTime() - start));
        }
        return r.succeeded() && spec.expect().isPresent() ? expect(spec.expect().get(), r, ctx) : r;
    }

    private static StepResult run(DockerOp op, DockerTarget docker, StepContext ctx)
            throws TargetException, InterruptedException, TemplateException {
        Optional<StepResult> r = containerOp(op, new ContainerSteps(docker, ctx));
        if (r.isPresent()) {
            return r.get();
        }
        DaemonSteps daemon = new DaemonSteps(docker, ctx);
        if (op instanceof DockerOp.Inspect i) {
            return daemon.inspect(i);
        } else if (op instanceof DockerOp.Image i) {
            return daemon.image(i);
        } else if (op instanceof DockerOp.Wait w) {
            return daemon.waitReady(w);
        }
        return daemon.info();
    }

    /**
     * The run chose another container backend ({@code --backend kubernetes}): the container operations go
     * there; the daemon's own (info, inspect, image, wait) have no counterpart and fail saying so.
     */
    private static StepResult placed(DockerOp op, ContainerPlacement placed, StepContext ctx)
            throws TargetException, InterruptedException, TemplateException {
        ContainerBackend backend = placed.containers();
        Optional<StepResult> r = containerOp(op, new ContainerSteps(backend, ctx));
        if (r.isPresent()) {
            return r.get();
        }
        return StepResult.failed("'docker " + op.key() + "' is Docker-daemon specific and this run's container backend is "
                + placed.backendName() + " (" + backend.describe() + "): only ps, stop, run and exec work there; "
                + "run with --backend docker, or skip this step there with when: run.backend == 'docker'", Map.of());
    }

    private static Optional<StepResult> containerOp(DockerOp op, ContainerSteps containers)
            throws TargetException, InterruptedException, TemplateException {
        if (op instanceof DockerOp.Ps p) {
            return Optional.of(containers.ps(p));
        } else if (op instanceof DockerOp.Stop s) {
            return Optional.of(containers.stop(s));
        } else if (op instanceof DockerOp.Run r) {
            return Optional.of(containers.run(r));
        } else if (op instanceof DockerOp.Exec e) {
            return Optional.of(containers.exec(e));
        }
        return Optional.empty();
    }

    private static StepResult expect(String condition, StepResult r, StepContext ctx) {
        try {
            if (ctx.test(condition, r.fields())) {
                return r;
            }
            return r.withOutcome(StepResult.Outcome.FAILED, "expected '" + condition + "', but: " + r.message());
        } catch (TemplateException e) {
            return r.withOutcome(StepResult.Outcome.FAILED, "cannot evaluate '" + condition + "': " + ctx.mask(e.getMessage()));
        }
    }

    @Override
    public Duration estimate(DockerSpec spec) {
        if (spec.op() instanceof DockerOp.Stop s) {
            return s.timeout();
        }
        return spec.op() instanceof DockerOp.Wait w ? w.interval() : Duration.ofSeconds(1);
    }

    @Override
    public String summary(DockerSpec spec) {
        DockerOp op = spec.op();
        String what = op.key();
        if (op instanceof DockerOp.Ps p) {
            what += labels(p.labels());
        } else if (op instanceof DockerOp.Stop s) {
            what += s.ids().isEmpty() ? labels(s.labels()) : " " + String.join(" ", s.ids());
        } else if (op instanceof DockerOp.Run r) {
            what += " " + r.image() + (r.command().isEmpty() ? "" : " " + String.join(" ", r.command()));
        } else if (op instanceof DockerOp.Inspect i) {
            what += " " + i.container() + " " + i.field();
        } else if (op instanceof DockerOp.Exec e) {
            what += " " + e.container() + " " + String.join(" ", e.command());
        } else if (op instanceof DockerOp.Image i) {
            what += " " + i.name();
        }
        return "docker " + what + spec.expect().map(e -> " expect " + e).orElse("");
    }

    private static String labels(java.util.List<String> labels) {
        return labels.isEmpty() ? "" : " label " + String.join(",", labels);
    }
}
