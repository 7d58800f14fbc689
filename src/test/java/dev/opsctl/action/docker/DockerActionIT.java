package dev.opsctl.action.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ssh.SshConfig;
import dev.opsctl.target.ssh.SshOptions;
import dev.opsctl.target.ssh.SshTarget;
import dev.opsctl.target.ssh.SshTargets;
import dev.opsctl.testhost.DockerTestHosts;
import dev.opsctl.testhost.TestHost;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The userns-remap procedure's docker operations as steps, over real SSH to a test host with a real
 * dockerd: drain, enable userns-remap, wait for the daemon, reload the hidden image, verify.
 */
class DockerActionIT {
    @RegisterExtension
    static final DockerTestHosts HOSTS = DockerTestHosts.numbered(65);

    @TempDir
    Path tmp;

    private final DockerActionType type = new DockerActionType();

    @Test
    void theUsernsRemapProcedureStepByStep() throws Exception {
        TestHost h = HOSTS.host(65);
        try (SshTarget ssh = target(h)) {
            FakeStepContext ctx = new FakeStepContext(ssh, tmp);

            HOSTS.exec(h, "docker ps -aq --filter label=workspace | xargs -r docker rm -f;"
                    + " docker run -d --init --label workspace=1 --network none workspace-base:latest sleep 3600;"
                    + " docker run -d --label workspace=1 --network none workspace-base:latest sleep 3600").orFail();
            StepResult before = step(ctx, "docker: {info: {}}");
            assertEquals(false, before.data().get("userns"), before.message());
            assertEquals("/var/lib/docker", before.data().get("root_dir"));
            assertEquals(2L, step(ctx, "docker: {ps: {label: workspace}}").data().get("count"));

            StepResult drained = step(ctx, "docker: {stop: {label: workspace, timeout: 3s, force_after: true}}");
            assertEquals(StepResult.Outcome.CHANGED, drained.outcome(), drained.message());
            assertEquals(2L, drained.data().get("stopped"));
            assertEquals(1L, drained.data().get("forced"), "the one whose PID 1 ignores SIGTERM");
            assertEquals(StepResult.Outcome.OK, step(ctx, "docker: {ps: {label: workspace}, expect: 'count == 0'}").outcome());

            HOSTS.exec(h, "id dockremap >/dev/null 2>&1 || useradd -r -s /usr/sbin/nologin dockremap;"
                    + " echo dockremap:100000:65536 > /etc/subuid; echo dockremap:100000:65536 > /etc/subgid;"
                    + " touch /etc/opsctl-test/no-auto-import;"
                    + " echo '{\"log-driver\": \"json-file\", \"log-opts\": {\"max-size\": \"10m\", \"max-file\": \"3\"},"
                    + " \"userns-remap\": \"dockremap\"}' > /etc/docker/daemon.json").orFail();
            assertTrue(ssh.exec(ExecRequest.of("systemctl restart docker")).ok());
            StepResult waited = step(ctx, "docker: {wait: {timeout: 60s, interval: 2s}}");
            assertEquals(StepResult.Outcome.OK, waited.outcome(), waited.message());

            StepResult after = step(ctx, "docker: {info: {}, expect: 'userns and root_dir contains \"100000\"'}");
            assertEquals(StepResult.Outcome.OK, after.outcome(), after.message());
            assertTrue(((List<?>) after.data().get("security_options")).contains("name=userns"), after.data().toString());

            StepResult hidden = step(ctx, "docker: {run: {image: 'workspace-base:latest', command: [id]}}");
            assertEquals(StepResult.Outcome.FAILED, hidden.outcome());
            assertTrue(hidden.message().contains("no such image") && hidden.message().contains("workspace-base:latest"), hidden.message());

            StepResult loaded = step(ctx, "docker: {image: {name: 'workspace-base:latest', load: /opt/opsctl-test/workspace-base.tar}}");
            assertEquals(StepResult.Outcome.CHANGED, loaded.outcome(), loaded.message());

            StepResult verified = step(ctx, "docker: {run: {image: 'workspace-base:latest', command: [id], network: none, "
                    + "labels: {opsctl: verify}, expect_output: 'uid=1000(appuser)'}}");
            assertEquals(StepResult.Outcome.OK, verified.outcome(), verified.message());

            StepResult started = step(ctx, "docker: {run: {image: 'workspace-base:latest', command: [sleep, '30'], "
                    + "name: userns-verify, detach: true, rm: false}}");
            assertEquals(StepResult.Outcome.CHANGED, started.outcome(), started.message());
            StepResult pid = step(ctx, "docker: {inspect: {container: userns-verify, field: '{{ \"State.Pid\" }}'}}");
            long p = (Long) pid.data().get("value");
            String uidMap = ssh.exec(ExecRequest.of("cat /proc/" + p + "/uid_map")).stdout();
            assertEquals(List.of("0", "100000", "65536"), List.of(uidMap.strip().split("\\s+")), uidMap);

            StepResult removed = step(ctx, "docker: {stop: {ids: [userns-verify], timeout: 1s}}");
            assertEquals(1L, removed.data().get("forced"), removed.message());
        }
    }

    @Test
    void aDaemonThatWillNotStartFailsTheWaitWithoutMakingTheHostUnreachable() throws Exception {
        TestHost h = HOSTS.host(65);
        try (SshTarget ssh = target(h)) {
            FakeStepContext ctx = new FakeStepContext(ssh, tmp);
            assertEquals(StepResult.Outcome.OK, step(ctx, "docker: {info: {}}").outcome());
            HOSTS.exec(h, "systemctl stop docker").orFail();
            try {
                StepResult info = step(ctx, "docker: {info: {}}");
                assertEquals(StepResult.Outcome.FAILED, info.outcome());
                assertTrue(info.message().startsWith("docker daemon on host 'opsctl-h65' is not answering"), info.message());
                StepResult waited = step(ctx, "docker: {wait: {timeout: 6s, interval: 2s}}");
                assertEquals(StepResult.Outcome.TIMED_OUT, waited.outcome());
                assertTrue(waited.message().startsWith("docker daemon on host 'opsctl-h65' did not answer within 6s"), waited.message());
                assertTrue(ssh.exec(ExecRequest.of("true")).ok(), "the host itself still answers");
            } finally {
                HOSTS.exec(h, "systemctl start docker").orFail();
            }
            assertEquals(StepResult.Outcome.OK, step(ctx, "docker: {wait: {}}").outcome());
        }
    }

    private StepResult step(FakeStepContext ctx, String yaml) throws Exception {
        ParseFixture fx = new ParseFixture(tmp);
        return type.execute(fx.parseClean(type, yaml), ctx);
    }

    private static SshTarget target(TestHost h) {
        SshOptions o = SshOptions.defaults().withKnownHosts(List.of(h.knownHosts()), false).withIdentities(List.of(), false, Optional.empty());
        return SshTargets.target(h.name(), h.address(), Optional.of(h.sshPort()), Optional.of(h.user()),
                Optional.of(h.key().toString()), SshConfig.empty(), o);
    }
}
