package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.target.ssh.OpenSshServer;
import dev.opsctl.target.ssh.SshConfig;
import dev.opsctl.target.ssh.SshOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trigger's probe that hangs on a real sshd host until its time is up could not check: it is not healthy because its
 * empty output does not match what an unhealthy answer would print.
 */
class ProbeTimeoutIT {
    @RegisterExtension
    static final OpenSshServer WEB1 = new OpenSshServer("127.0.1.185");

    @TempDir
    Path tmp;

    private Services services() {
        SshOptions options = SshOptions.defaults()
                .withKnownHosts(List.of(WEB1.knownHosts()), false)
                .withIdentities(List.of(), false, Optional.empty())
                .withTimeouts(Optional.of(Duration.ofSeconds(5)), Optional.empty());
        return Services.standard(new Env(tmp.resolve("state"), Clock.systemUTC(), "alice", false, Map.of()), Prompter.NON_INTERACTIVE,
                new HostTargets(SshConfig.empty(), options));
    }

    @Test
    void aHealthProbeThatHungUntilItsTimeoutCountsAsTheTriggerHoldingAndRollsTheHostBack() throws Exception {
        Path inventory = Files.writeString(tmp.resolve("inventory.yaml"), """
                apiVersion: opsctl/v1
                kind: Inventory
                hosts:
                  web1: {address: %s, port: %d, user: %s, identity_file: %s}
                groups:
                  web: {hosts: [web1]}
                """.formatted(WEB1.address(), WEB1.port(), OpenSshServer.USER, WEB1.clientKey()));
        Path runbook = Files.writeString(tmp.resolve("rb.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: probe-timeout}
                targets: web
                strategy: {serial: 1}
                triggers:
                  - name: app-down
                    # the app's health command hangs (the app is wedged): it never prints 'down'
                    probe: {shell: "sleep 60; echo up"}
                    when: "stdout == 'down'"
                    interval: 1s
                    then: rollback
                steps:
                  - id: deploy
                    shell: "true"
                rollback:
                  - id: undo
                    shell: "true"
                """);
        RecordingSink recorded = new RecordingSink();
        int code = services().runs().run(RunRequest.of(runbook).withInventory(inventory), recorded);

        assertEquals(ExitCodes.ROLLED_BACK, code, recorded.all().toString());
        RunEvent.TriggerFired fired = recorded.of(RunEvent.TriggerFired.class).get(0);
        assertTrue(fired.evidence().startsWith("could not check (") && fired.evidence().endsWith("so 'stdout == 'down'' counts as holding"),
                fired.evidence());
        assertEquals(List.of("changed"), recorded.finished("web1", "undo").stream().map(RunEvent.StepFinished::outcome).toList());
    }
}
