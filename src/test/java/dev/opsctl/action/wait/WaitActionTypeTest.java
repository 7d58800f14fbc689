package dev.opsctl.action.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.http.TestServer;
import dev.opsctl.source.Node;
import dev.opsctl.source.Problems;
import dev.opsctl.source.SourcePos;
import dev.opsctl.source.YamlTree;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaitActionTypeTest {
    @TempDir
    Path tmp;

    private final WaitActionType type = new WaitActionType();
    private FakeStepContext ctx;
    private ParseFixture fx;

    @BeforeEach
    void setUp() {
        ctx = new FakeStepContext(new LocalTarget("web-1"), tmp);
        fx = new ParseFixture(tmp);
    }

    /** A command that fails until its third run. */
    private String readyOnThirdRun() {
        Path counter = tmp.resolve("count");
        return "n=$(cat " + counter + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + counter + "; echo attempt $n; [ $n -ge 3 ]";
    }

    @Test
    void pollsACommandUntilItSucceeds() throws Exception {
        StepResult r = type.execute(fx.parseClean(type, "wait: {command: '" + readyOnThirdRun() + "'}\n"), ctx);
        assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
        assertEquals("ready after 3 attempts (10s)", r.message());
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5)), ctx.sleeps);
        assertEquals(2, ctx.progress.size());
        assertTrue(ctx.progress.get(0).contains("attempt 1, rc 1: attempt 1 (0s of 1m)"), ctx.progress.get(0));
        assertEquals(3L, r.data().get("attempts"));
    }

    @Test
    void untilSeesTheCommandOutput() throws Exception {
        StepResult r = type.execute(fx.parseClean(type,
                "wait: {command: '" + readyOnThirdRun() + " || true', until: 'stdout contains \"attempt 2\"', interval: 1s}\n"), ctx);
        assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
        assertEquals(2L, r.data().get("attempts"));
    }

    @Test
    void timesOutWithTheLastObservation() throws Exception {
        StepResult r = type.execute(fx.parseClean(type,
                "wait: {command: 'echo not yet >&2; exit 1', timeout: 20s, interval: 5s}\n"), ctx);
        assertEquals(StepResult.Outcome.TIMED_OUT, r.outcome());
        assertEquals("not ready after 20s (5 attempts); last: rc 1: not yet", r.message());
        assertEquals(4, ctx.sleeps.size());
    }

    /** The host restarting: the first poll's connection is lost, the next cannot connect, then it answers. */
    private static Target restarting(List<TargetException> failures) {
        LocalTarget local = new LocalTarget("web-1");
        AtomicInteger calls = new AtomicInteger();
        return new Target() {
            @Override
            public String host() {
                return "web-1";
            }

            @Override
            public String describe() {
                return "restarting";
            }

            @Override
            public ExecResult exec(ExecRequest request) throws TargetException, InterruptedException {
                int n = calls.getAndIncrement();
                if (n < failures.size()) {
                    throw failures.get(n);
                }
                return local.exec(request);
            }

            @Override
            public void put(String path, byte[] content, FileAttrs attrs) {}

            @Override
            public byte[] get(String path, Sudo sudo) {
                return new byte[0];
            }

            @Override
            public Optional<FileInfo> stat(String path, Sudo sudo) {
                return Optional.empty();
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void aLostConnectionOrAnUnreachableHostIsNotReadyYetAndPollingGoesOn() throws Exception {
        FakeStepContext restarting = new FakeStepContext(restarting(List.of(
                new TargetException(TargetException.Kind.CONNECTION_LOST, "web-1", "host 'web-1': the ssh connection to 'web-1:22' was "
                        + "lost while running 'test -f ready': connection reset"),
                TargetException.unreachable("web-1", "connection refused by 'web-1:22'", null))), tmp);
        StepResult r = type.execute(fx.parseClean(type, "wait: {command: 'true', interval: 1s, timeout: 30s}\n"), restarting);
        assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
        assertEquals(3L, r.data().get("attempts"));
        assertTrue(restarting.progress.get(0).contains("attempt 1, not ready (connection lost: host 'web-1': the ssh connection to "
                + "'web-1:22' was lost while running 'test -f ready': connection reset)"), restarting.progress.get(0));
        assertTrue(restarting.progress.get(1).contains("attempt 2, not ready (unreachable: host 'web-1' is unreachable: connection "
                + "refused by 'web-1:22')"), restarting.progress.get(1));
    }

    @Test
    void aHostThatStaysAwayTimesOutSayingSoAndAuthOrHostKeyFailuresFailAtOnce() throws Exception {
        List<TargetException> away = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            away.add(TargetException.unreachable("web-1", "connection refused by 'web-1:22'", null));
        }
        FakeStepContext gone = new FakeStepContext(restarting(away), tmp);
        StepResult r = type.execute(fx.parseClean(type, "wait: {command: 'true', interval: 5s, timeout: 20s}\n"), gone);
        assertEquals(StepResult.Outcome.TIMED_OUT, r.outcome(), r.message());
        assertEquals("not ready after 20s (5 attempts); last: unreachable: host 'web-1' is unreachable: connection refused by 'web-1:22'",
                r.message());

        for (TargetException.Kind kind : List.of(TargetException.Kind.AUTH_FAILED, TargetException.Kind.HOST_KEY)) {
            TargetException refused = new TargetException(kind, "web-1", "refused");
            FakeStepContext c = new FakeStepContext(restarting(List.of(refused)), tmp);
            TargetException thrown = org.junit.jupiter.api.Assertions.assertThrows(TargetException.class,
                    () -> type.execute(fx.parseClean(type, "wait: {command: 'true', interval: 1s, timeout: 30s}\n"), c));
            assertEquals(kind, thrown.kind());
            assertTrue(c.sleeps.isEmpty(), kind + ": failed at once");
        }
    }

    @Test
    void theIntervalAndTimeoutMayBeTemplatesRenderedWhenTheStepRuns() throws Exception {
        ctx.vars.put("poll", Duration.ofSeconds(2));
        ctx.vars.put("limit", "9s");
        StepResult r = type.execute(fx.parseClean(type,
                "wait: {command: 'exit 1', interval: '{{ poll }}', timeout: '{{ limit }}'}\n"), ctx);
        assertEquals(StepResult.Outcome.TIMED_OUT, r.outcome(), r.message());
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2)), ctx.sleeps);
        assertEquals(Duration.ofSeconds(5), type.estimate(fx.parseClean(type, "wait: {command: 'true', interval: '{{ poll }}'}\n")));
    }

    @Test
    void aTemplateThatIsNoDurationFailsBeforeAnyPoll() throws Exception {
        Path marker = tmp.resolve("polled");
        ctx.vars.put("poll", "0s");
        StepResult r = type.execute(fx.parseClean(type, "wait: {command: 'touch " + marker + "', interval: '{{ poll }}'}\n"), ctx);
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertEquals("'interval' in 'wait' is '0s', not a duration longer than 0s (e.g. 5m)", r.message());
        assertFalse(java.nio.file.Files.exists(marker), "nothing was polled");
    }

    @Test
    void aZeroIntervalIsRefusedAtLoadTime() {
        fx.parse(type, "wait: {command: 'true', interval: 0s}\n");
        assertTrue(fx.rendered().contains("'interval' in 'wait' must be longer than 0s"), fx.rendered());
    }

    @Test
    void pollsAUrlUntilItAnswersTheStatus() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (TestServer server = new TestServer().on("/ready",
                x -> calls.incrementAndGet() < 3 ? new TestServer.Answer(503, "starting", 0) : new TestServer.Answer(200, "ready", 0))) {
            StepResult r = type.execute(fx.parseClean(type, "wait: {url: '" + server.url("/ready") + "', body_contains: ready}\n"), ctx);
            assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
            assertEquals(3, calls.get());
            assertEquals(200L, r.data().get("status"));
            assertTrue(ctx.progress.get(0).contains("status 503"), ctx.progress.get(0));
        }
    }

    @Test
    void aUrlThatNeverAnswersTimesOutNamingTheCause() throws Exception {
        TestServer server = new TestServer();
        String url = server.url("/x");
        server.close();
        StepResult r = type.execute(fx.parseClean(type, "wait: {url: '" + url + "', timeout: 10s, interval: 5s}\n"), ctx);
        assertEquals(StepResult.Outcome.TIMED_OUT, r.outcome());
        assertTrue(r.message().endsWith("last: connection refused"), r.message());
    }

    @Test
    void needsExactlyOneOfCommandAndUrl() {
        fx.parse(type, "wait: {command: 'true', url: 'http://x'}\n");
        assertTrue(fx.rendered().contains("'wait' takes either 'command' or 'url', not both"), fx.rendered());
    }

    @Test
    void theUntilConditionIsCheckedAtLoadTimeWithTheObservationNames() {
        List<Set<String>> seen = new ArrayList<>();
        Problems problems = new Problems();
        ParseContext pc = new ParseContext() {
            @Override
            public Problems problems() {
                return problems;
            }

            @Override
            public Path baseDir() {
                return tmp;
            }

            @Override
            public void checkCondition(String text, SourcePos pos, Set<String> extra) {
                seen.add(extra);
                assertEquals("s.yaml:2:8", pos.toString(), "the position of the condition itself");
            }
        };
        Node node = YamlTree.parse("s.yaml", "command: 'true'\nuntil: rc == 0\n", problems).orElseThrow();
        type.parse(node, pc);
        assertEquals(1, seen.size());
        assertTrue(seen.get(0).containsAll(List.of("rc", "stdout", "status", "body", "latency_ms", "attempts", "elapsed_ms")));
    }
}
