package dev.opsctl.action.docker;

import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.Durations;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.docker.DaemonInfo;
import dev.opsctl.target.docker.DockerTarget;
import dev.opsctl.target.docker.DockerTargets;
import dev.opsctl.template.ShellQuote;
import dev.opsctl.template.TemplateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The daemon operations (info, inspect, image, wait), on a {@link DockerTarget}. */
final class DaemonSteps {
    private final DockerTarget docker;
    private final StepContext ctx;

    DaemonSteps(DockerTarget docker, StepContext ctx) {
        this.docker = docker;
        this.ctx = ctx;
    }

    StepResult info() throws TargetException, InterruptedException {
        DaemonInfo i = docker.info();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", i.name());
        data.put("server_version", i.serverVersion());
        data.put("root_dir", i.rootDir());
        data.put("security_options", i.securityOptions());
        data.put("userns", i.userns());
        data.put("containers", i.containers());
        data.put("containers_running", i.containersRunning());
        return StepResult.ok("docker " + i.serverVersion() + ", userns-remap " + (i.userns() ? "on" : "off") + ", root '"
                + i.rootDir() + "', " + i.containersRunning() + " running", data);
    }

    StepResult inspect(DockerOp.Inspect op) throws TargetException, InterruptedException, TemplateException {
        String container = ctx.render(op.container());
        Optional<Object> value = docker.inspect(container, ctx.render(op.field()));
        if (value.isEmpty()) {
            return StepResult.failed("container '" + container + "' has no field '" + op.field() + "'", Map.of("value", ""));
        }
        String shown = ctx.mask(String.valueOf(value.get()));
        return new StepResult(StepResult.Outcome.OK, 0, shown, "", op.field() + " of '" + container + "' is '" + shown + "'",
                Map.of("value", value.get() instanceof String s ? ctx.mask(s) : value.get()), Duration.ZERO);
    }

    StepResult image(DockerOp.Image op) throws TargetException, InterruptedException, TemplateException {
        String name = ctx.render(op.name());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", name);
        data.put("present", true);
        data.put("loaded", false);
        data.put("pulled", false);
        if (docker.hasImage(name)) {
            return StepResult.ok("image '" + name + "' is present", data);
        }
        String how;
        if (op.load().isPresent()) {
            String tar = ctx.render(op.load().get());
            ExecResult r = ctx.target().exec(ExecRequest.of("docker load -i " + ShellQuote.quote(tar))
                    .withSudo(ctx.sudo()).withTimeout(op.timeout()));
            if (!r.ok()) {
                data.put("present", false);
                String why = r.timedOut() ? "timed out after " + Durations.format(op.timeout()) : "exit " + r.exitCode() + ": " + ctx.mask(r.lastLine());
                return StepResult.failed("image '" + name + "' is missing and 'docker load -i " + tar + "' failed: " + why, data);
            }
            data.put("loaded", true);
            how = "loaded from '" + tar + "' on the host";
        } else if (op.upload().isPresent()) {
            try (InputStream in = Files.newInputStream(op.upload().get())) {
                docker.load(in, op.timeout());
            } catch (IOException e) {
                data.put("present", false);
                return StepResult.failed("image '" + name + "' is missing and '" + op.upload().get() + "' cannot be read: " + e.getMessage(), data);
            }
            data.put("loaded", true);
            how = "uploaded from '" + op.upload().get() + "'";
        } else if (op.pull()) {
            docker.pull(name, op.timeout());
            data.put("pulled", true);
            how = "pulled";
        } else {
            data.put("present", false);
            return StepResult.failed("image '" + name + "' is missing on host '" + ctx.host() + "'", data);
        }
        if (!docker.hasImage(name)) {
            data.put("present", false);
            return StepResult.failed("image '" + name + "' is still missing after it was " + how, data);
        }
        return StepResult.changed("image '" + name + "' " + how, data);
    }

    /** Polls {@code /_ping}; a daemon that does not answer yet is not an error until the time is up. */
    StepResult waitReady(DockerOp.Wait op) throws TargetException, InterruptedException {
        Instant start = ctx.clock().instant();
        Duration timeout = ctx.timeout().filter(t -> t.compareTo(op.timeout()) < 0).orElse(op.timeout());
        for (int attempts = 1; ; attempts++) {
            String last;
            try {
                // a daemon that takes the ping and says nothing is waited for no longer than the wait has left
                docker.ping(timeout.minus(Duration.between(start, ctx.clock().instant())));
                Duration took = Duration.between(start, ctx.clock().instant());
                return new StepResult(StepResult.Outcome.OK, 0, "", "", "docker daemon answered after " + attempts
                        + (attempts == 1 ? " attempt" : " attempts") + " (" + Durations.format(took.withNanos(0)) + ")",
                        Map.of("attempts", (long) attempts), took);
            } catch (TargetException e) {
                // a host restarting under the wait loses its connection too: not ready yet, as for a wait step
                if (!DockerTargets.daemonNotAnswering(e) && e.kind() != TargetException.Kind.TIMEOUT
                        && e.kind() != TargetException.Kind.CONNECTION_LOST) {
                    throw e;
                }
                last = e.getMessage();
            }
            Duration elapsed = Duration.between(start, ctx.clock().instant());
            if (elapsed.plus(op.interval()).compareTo(timeout) > 0) {
                return new StepResult(StepResult.Outcome.TIMED_OUT, 1, "", "", "docker daemon on host '" + ctx.host()
                        + "' did not answer within " + Durations.format(timeout) + " (" + attempts + " attempts); last: " + last,
                        Map.of("attempts", (long) attempts), elapsed);
            }
            ctx.progress("waiting for the docker daemon: attempt " + attempts + " (" + Durations.format(elapsed.withNanos(0))
                    + " of " + Durations.format(timeout) + ")");
            ctx.sleep(op.interval());
        }
    }
}
