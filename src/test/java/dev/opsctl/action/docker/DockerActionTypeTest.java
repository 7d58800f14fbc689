package dev.opsctl.action.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.runbook.load.Checklists;
import dev.opsctl.runbook.load.LoadResult;
import dev.opsctl.runbook.load.RunbookLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing, and execution against a scripted daemon (the real one is in DockerActionIT). */
class DockerActionTypeTest {
    @TempDir
    Path tmp;

    private final DockerActionType type = new DockerActionType();
    private ParseFixture fx;
    private FakeDocker docker;
    private FakeStepContext ctx;

    @BeforeEach
    void setUp() {
        fx = new ParseFixture(tmp);
        docker = new FakeDocker();
        ctx = new FakeStepContext(docker, tmp);
    }

    private StepResult run(String yaml) throws Exception {
        return type.execute(fx.parseClean(type, yaml), ctx);
    }

    @Test
    void parsesEveryOperationWithItsDefaults() {
        DockerSpec stop = fx.parseClean(type, "docker: {stop: {label: workspace}}");
        assertEquals(new DockerOp.Stop(List.of("workspace"), List.of(), Duration.ofSeconds(10), true), stop.op());
        assertEquals("/var/run/docker.sock", stop.socket());
        DockerSpec run = fx.parseClean(type, "docker: {run: {image: 'workspace-base:latest', command: 'id; id -u'}}");
        DockerOp.Run r = (DockerOp.Run) run.op();
        assertEquals(List.of("sh", "-c", "id; id -u"), r.command());
        assertTrue(r.rm());
        assertFalse(r.detach());
        assertEquals(new DockerOp.Info(), fx.parseClean(type, "docker: {info: {}, expect: userns}").op());
        assertEquals(new DockerOp.Info(), fx.parseClean(type, "docker:\n  info:\n").op());
        assertEquals(new DockerOp.Wait(Duration.ofSeconds(60), Duration.ofSeconds(2)), fx.parseClean(type, "docker: {wait: {}}").op());
        DockerOp.Image i = (DockerOp.Image) fx.parseClean(type, "docker: {image: {name: x, upload: images/x.tar}}").op();
        assertEquals(tmp.resolve("images/x.tar"), i.upload().orElseThrow());
    }

    @Test
    void reportsBadOperationsWithPositions() {
        fx.parse(type, "docker: {ps: {}, info: {}}");
        assertTrue(fx.rendered().contains("step.yaml:1:18: error: 'docker' takes exactly one operation, not 'ps' and 'info'"), fx.rendered());
        ParseFixture f2 = new ParseFixture(tmp);
        f2.parse(type, "docker: {stop: {timeout: 5m}}");
        assertTrue(f2.rendered().contains("'stop' in 'docker' takes either 'label' or 'ids', not neither"), f2.rendered());
        ParseFixture f3 = new ParseFixture(tmp);
        f3.parse(type, "docker: {run: {image: x, detach: true, expect_output: ok, netwrk: none}}");
        assertTrue(f3.rendered().contains("'expect_output' needs the output"), f3.rendered());
        assertTrue(f3.rendered().contains("unknown key 'netwrk' in 'run' in 'docker'") && f3.rendered().contains("did you mean 'network'?"), f3.rendered());
        ParseFixture f4 = new ParseFixture(tmp);
        f4.parse(type, "docker: {image: {name: x, load: images/x.tar}}");
        assertTrue(f4.rendered().contains("'load' in 'image' must be an absolute path on the host"), f4.rendered());
    }

    @Test
    void theLoaderChecksConditionsAgainstTheDockerFields() {
        RunbookLoader loader = new RunbookLoader(ActionRegistry.standard(), Checklists.of(List.of()));
        String head = "apiVersion: opsctl/v1\nkind: Runbook\nmetadata: {name: t}\n";
        LoadResult good = loader.load("t.yaml", head + """
                steps:
                  - id: drained
                    docker: {ps: {label: workspace}}
                    until: count == 0
                    retries: 30
                  - id: userns-on
                    docker: {info: {}, expect: userns and root_dir contains "100000"}
                """, tmp);
        assertTrue(good.ok(), good.problems().render());
        LoadResult bad = loader.load("t.yaml", head + "steps:\n  - id: x\n    docker: {ps: {label: w}, expect: 'cuont == 0'}\n", tmp);
        assertTrue(bad.problems().render().contains("cuont"), bad.problems().render());
    }

    @Test
    void infoReportsUsernsFromTheSecurityOptions() throws Exception {
        StepResult off = run("docker: {info: {}}");
        assertEquals(false, off.data().get("userns"));
        StepResult failed = run("docker: {info: {}, expect: userns}");
        assertEquals(StepResult.Outcome.FAILED, failed.outcome());
        assertTrue(failed.message().startsWith("expected 'userns', but: docker 26.1.5, userns-remap off"), failed.message());
        docker.securityOptions = List.of("name=seccomp,profile=builtin", "name=userns");
        StepResult on = run("docker: {info: {}, expect: userns}");
        assertEquals(StepResult.Outcome.OK, on.outcome(), on.message());
        assertEquals("/var/lib/docker/100000.100000", on.data().get("root_dir"));
        assertEquals(List.of("name=seccomp,profile=builtin", "name=userns"), on.data().get("security_options"));
    }

    @Test
    void psCountsByLabelAndStopStopsWhatItFound() throws Exception {
        docker.running("a1", "ws-1", Map.of("workspace", "1")).running("b2", "ws-2", Map.of("workspace", "1")).running("c3", "db", Map.of());
        docker.ignoresSigterm.add("b2");
        StepResult ps = run("docker: {ps: {label: workspace}}");
        assertEquals(2L, ps.data().get("count"));
        assertEquals(List.of("ws-1", "ws-2"), ps.data().get("names"));
        StepResult stop = run("docker: {stop: {label: workspace, timeout: 5m}}");
        assertEquals(StepResult.Outcome.CHANGED, stop.outcome());
        assertEquals("stopped 2 containers, 1 killed after 5m", stop.message());
        assertEquals(1L, stop.data().get("forced"));
        assertTrue(docker.calls.contains("stop [a1, b2] PT5M true"), docker.calls.toString());
        StepResult stubborn = run("docker: {stop: {ids: [b2], timeout: 30s, force_after: false}}");
        assertEquals(StepResult.Outcome.FAILED, stubborn.outcome());
        assertEquals("1 of 1 containers still running after 30s (force_after is false): b2", stubborn.message());
    }

    @Test
    void nothingToStopIsOk() throws Exception {
        StepResult r = run("docker: {stop: {label: workspace}}");
        assertEquals(StepResult.Outcome.OK, r.outcome());
        assertEquals("no running containers labelled 'workspace'", r.message());
    }

    @Test
    void runChecksTheExpectedOutputAndRendersTemplates() throws Exception {
        ctx.set("who", "appuser");
        StepResult ok = run("docker: {run: {image: 'workspace-base:latest', command: [id, '{{ who }}'], network: none, "
                + "user: '1000', labels: {opsctl: verify}, expect_output: uid=1000}}");
        assertEquals(StepResult.Outcome.OK, ok.outcome(), ok.message());
        assertTrue(docker.calls.contains("run workspace-base:latest [id, appuser] user=1000 network=none labels={opsctl=verify} rm=true detach=false"),
                docker.calls.toString());
        StepResult wrong = run("docker: {run: {image: 'workspace-base:latest', expect_output: uid=0}}");
        assertEquals(StepResult.Outcome.FAILED, wrong.outcome());
        assertEquals("container from 'workspace-base:latest' printed 'uid=1000(appuser) gid=1000(appuser)', not the expected 'uid=0'",
                wrong.message());
        docker.nextRun = new dev.opsctl.target.container.ContainerRun("d", java.util.Optional.of(125), "boom\n", false, false);
        StepResult exit = run("docker: {run: {image: x}}");
        assertEquals(125, exit.rc());
        assertEquals("container from 'x' exited 125: boom", exit.message());
    }

    @Test
    void aMissingContainerFailsTheStepRatherThanTheHost() throws Exception {
        StepResult r = run("docker: {inspect: {container: nope, field: State.Pid}}");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertEquals("docker on host 'web-1': no such container 'nope'", r.message());
        docker.running("abc", "ws", Map.of());
        assertEquals(4242L, run("docker: {inspect: {container: abc, field: State.Pid}}").data().get("value"));
    }

    @Test
    void imageLoadsFromTheTarOnTheHostOnlyWhenMissing() throws Exception {
        StepResult r = run("docker: {image: {name: 'workspace-base:latest', load: /opt/opsctl-test/workspace-base.tar}}");
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals(true, r.data().get("loaded"));
        assertTrue(docker.calls.contains("host exec docker load -i /opt/opsctl-test/workspace-base.tar"), docker.calls.toString());
        StepResult again = run("docker: {image: {name: 'workspace-base:latest', load: /opt/opsctl-test/workspace-base.tar}}");
        assertEquals(StepResult.Outcome.OK, again.outcome());
        StepResult missing = new DockerActionType().execute(fx.parseClean(type, "docker: {image: {name: other}}"), new FakeStepContext(new FakeDocker(), tmp));
        assertEquals(StepResult.Outcome.FAILED, missing.outcome());
        assertEquals("image 'other' is missing on host 'web-1'", missing.message());
    }

    @Test
    void waitPollsUntilTheDaemonAnswersAndTimesOutWithTheLastReason() throws Exception {
        docker.pingFailures = 3;
        StepResult r = run("docker: {wait: {timeout: 60s, interval: 2s}}");
        assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
        assertEquals(4L, r.data().get("attempts"));
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2)), ctx.sleeps);
        docker.pingFailures = 100;
        StepResult late = run("docker: {wait: {timeout: 10s, interval: 2s}}");
        assertEquals(StepResult.Outcome.TIMED_OUT, late.outcome());
        assertTrue(late.message().startsWith("docker daemon on host 'web-1' did not answer within 10s"), late.message());
    }

    @Test
    void aDaemonThatDoesNotAnswerFailsTheStepButTheHostStaysReachable() throws Exception {
        docker.pingFailures = 1;
        StepResult r = run("docker: {ps: {label: x}, expect: 'count == 0'}");
        assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
        docker.dropConnection = true;
        org.junit.jupiter.api.Assertions.assertThrows(dev.opsctl.target.TargetException.class, () -> run("docker: {info: {}}"),
                "a host that cannot be reached at all stays UNREACHABLE");
        docker.dropConnection = false;
        docker.daemonDown = true;
        StepResult down = run("docker: {info: {}}");
        assertEquals(StepResult.Outcome.FAILED, down.outcome());
        assertEquals("docker daemon on host 'web-1' is not answering (docker info): connection refused", down.message());
    }
}
