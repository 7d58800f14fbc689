package dev.opsctl.action.wait;

import dev.opsctl.action.StepContext;
import dev.opsctl.action.http.HttpProbe;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.TargetException;
import dev.opsctl.template.TemplateException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** One poll of a wait: runs the command or requests the URL, and judges the result. */
final class Poller {
    private static final Duration MIN_POLL = Duration.ofSeconds(1);
    private static final Duration MAX_HTTP = Duration.ofSeconds(10);

    private final WaitSpec spec;
    private final StepContext ctx;
    private final HttpProbe probe;

    Poller(WaitSpec spec, StepContext ctx, HttpProbe probe) {
        this.spec = spec;
        this.ctx = ctx;
        this.probe = probe;
    }

    /**
     * Polls once; the poll itself may take at most what is left of the wait (at least a second). A command
     * poll whose connection is lost, or cannot be made, is an unanswered observation; other target failures throw.
     */
    Observation poll(Duration left) throws TemplateException, TargetException, InterruptedException {
        Duration limit = left.compareTo(MIN_POLL) < 0 ? MIN_POLL : left;
        if (ctx.timeout().isPresent() && ctx.timeout().get().compareTo(limit) < 0) {
            limit = ctx.timeout().get();
        }
        return spec.command().isPresent() ? command(limit) : url(limit.compareTo(MAX_HTTP) > 0 ? MAX_HTTP : limit);
    }

    boolean ready(Observation o, Map<String, Object> fields) throws TemplateException {
        if (!o.answered()) {
            return false;
        }
        if (spec.url().isPresent()) {
            int want = spec.status().orElse(spec.until().isPresent() ? -1 : 200);
            if (want >= 0 && o.status() != want) {
                return false;
            }
            if (spec.bodyContains().isPresent() && !o.body().contains(spec.bodyContains().get())) {
                return false;
            }
            return spec.until().isEmpty() || ctx.test(spec.until().get(), fields);
        }
        return ctx.test(spec.until().orElse("rc == 0"), fields);
    }

    private Observation command(Duration limit) throws TemplateException, TargetException, InterruptedException {
        String cmd = ctx.renderCommand(spec.command().get());
        ExecResult r;
        try {
            r = ctx.target().exec(ExecRequest.of(cmd).withSudo(ctx.sudo()).withTimeout(limit));
        } catch (TargetException e) {
            // a host restarting or rebooting is away for a while, which is what a wait waits out; a refused
            // login or host key will not mend by itself
            if (e.kind() == TargetException.Kind.CONNECTION_LOST) {
                return Observation.unanswered("connection lost: " + ctx.mask(e.getMessage()));
            }
            if (e.kind() == TargetException.Kind.UNREACHABLE) {
                return Observation.unanswered("unreachable: " + ctx.mask(e.getMessage()));
            }
            throw e;
        }
        String stdout = ctx.mask(r.stdout());
        String stderr = ctx.mask(r.stderr());
        String last = ctx.mask(r.lastLine());
        String summary = r.timedOut() ? "timed out after " + limit.toSeconds() + "s"
                : "rc " + r.exitCode() + (last.isEmpty() ? "" : ": " + last);
        return new Observation(r.exitCode(), stdout, stderr, 0, "", r.elapsed().toMillis(), summary);
    }

    private Observation url(Duration limit) throws TemplateException, InterruptedException {
        String url = ctx.render(spec.url().get());
        String shown = ctx.mask(url);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new TemplateException("'" + shown + "' is not a valid URL", 0);
        }
        try {
            HttpProbe.Response r = probe.send("GET", uri, Map.of(), Optional.empty(), limit, spec.insecure());
            String body = ctx.mask(r.body());
            return new Observation(0, "", "", r.status(), body, r.latency().toMillis(), "status " + r.status());
        } catch (HttpProbe.TimedOut e) {
            return new Observation(0, "", "", 0, "", limit.toMillis(), e.getMessage());
        } catch (IOException e) {
            return new Observation(0, "", "", 0, "", 0, ctx.mask(String.valueOf(e.getMessage())));
        }
    }
}
