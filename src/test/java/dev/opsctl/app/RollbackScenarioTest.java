package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.action.http.TestServer;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.execute.HostHooks;
import dev.opsctl.engine.execute.Sleeper;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.engine.journal.RunState;
import dev.opsctl.event.RunEvent;
import dev.opsctl.inventory.Connection;
import dev.opsctl.inventory.Host;
import dev.opsctl.inventory.Inventory;
import dev.opsctl.runbook.load.Checklists;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Given three hosts (local targets, each with its own app on a loopback port and its own config file),
 * when host 2's /health starts answering 500 after its deploy step, then host 2 is rolled back (its
 * config restored from the backup, its app told to roll back), host 3 is never touched, the exit code
 * is 3 and the journal says so. The real loader, local target, backup/restore and http step types.
 */
class RollbackScenarioTest {
    static final String RUNBOOK = """
            apiVersion: opsctl/v1
            kind: Runbook
            metadata: {name: userns-remap-local}
            targets: docker_hosts
            strategy:
              serial: 1
            triggers:
              - name: health-500
                probe: {http: {url: "http://127.0.0.1:{{ vars.port }}/health", expect: {status: [200, 500]}}}
                when: "status >= 500"
                then: rollback
            steps:
              - id: backup-config
                backup: {paths: ["{{ vars.conf }}"]}
              - id: write-config
                shell: "echo userns-remap > {{ vars.conf }}"
              - id: restart-app
                http: {url: "http://127.0.0.1:{{ vars.port }}/deploy", method: POST}
              - id: watch
                monitor: {duration: 600ms, interval: 200ms}
            rollback:
              - id: restore-config
                restore: {from: backup-config}
              - id: restart-back
                http: {url: "http://127.0.0.1:{{ vars.port }}/rollback", method: POST}
            """;

    @TempDir
    Path tmp;

    private final List<TestServer> apps = new ArrayList<>();

    @AfterEach
    void stopApps() {
        apps.forEach(TestServer::close);
    }

    /** An app whose /health answers 500 once deployed if {@code breaksOnDeploy}, 200 again after /rollback. */
    private TestServer app(boolean breaksOnDeploy) throws Exception {
        AtomicBoolean broken = new AtomicBoolean();
        TestServer s = new TestServer()
                .on("/deploy", x -> {
                    broken.set(breaksOnDeploy);
                    return new TestServer.Answer(200, "deployed", 0);
                })
                .on("/rollback", x -> {
                    broken.set(false);
                    return new TestServer.Answer(200, "rolled back", 0);
                })
                .on("/health", x -> broken.get() ? new TestServer.Answer(500, "{\"docker\": \"down\"}", 0)
                        : new TestServer.Answer(200, "{\"status\": \"ok\"}", 0));
        apps.add(s);
        return s;
    }

    private Host host(String name, TestServer app, Path conf) {
        int port = URI.create(app.url("/")).getPort();
        return new Host(name, "127.0.0.1", Optional.empty(), Optional.empty(), Optional.empty(), false, "root", Connection.LOCAL,
                List.of("all", "docker_hosts"), Map.of("port", (long) port, "conf", conf.toString()));
    }

    @Test
    void host2IsRolledBackHost3IsUntouchedAndTheRunExits3() throws Exception {
        // given
        Path rb = Files.writeString(tmp.resolve("userns-remap.yaml"), RUNBOOK);
        List<Path> confs = new ArrayList<>();
        List<Host> hosts = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path conf = Files.writeString(tmp.resolve("daemon-" + i + ".json"), "{\"original\": " + i + "}\n");
            confs.add(conf);
            hosts.add(host("host" + i, app(i == 2), conf));
        }
        Inventory inv = new Inventory("inv.yaml", hosts, Map.of("all", hosts.stream().map(Host::name).toList(),
                "docker_hosts", hosts.stream().map(Host::name).toList()));
        Env env = Env.from(Map.of("USER", "alice", "HOME", tmp.toString()), Optional.of(tmp.resolve("state")), Optional.empty(),
                false, Clock.systemUTC());
        Services services = new Services(env, new LoaderRunbooks(ActionRegistry.standard(), Checklists.ANY), file -> inv,
                new HostTargets(dev.opsctl.target.ssh.SshConfig.empty(), dev.opsctl.target.ssh.SshOptions.defaults()), HostHooks.NONE,
                Sleeper.REAL, Prompter.NON_INTERACTIVE, new Random(7));
        RecordingSink events = new RecordingSink();

        // when
        int code = services.runs().run(RunRequest.of(rb).withInventory(Path.of("inv.yaml")), events);

        // then
        assertEquals(ExitCodes.ROLLED_BACK, code, events.all().toString());
        RunEvent.RunFinished end = events.of(RunEvent.RunFinished.class).get(0);
        assertEquals(Map.of("host1", "ok", "host2", "rolled_back", "host3", "not_started"), end.hosts());
        assertEquals("userns-remap\n", Files.readString(confs.get(0)), "host 1 keeps its change");
        assertEquals("{\"original\": 2}\n", Files.readString(confs.get(1)), "host 2's config restored from its backup");
        assertEquals("{\"original\": 3}\n", Files.readString(confs.get(2)), "host 3 untouched");
        assertTrue(apps.get(1).seen.stream().anyMatch(r -> r.startsWith("POST /rollback")), "host 2's app told to roll back");
        assertTrue(apps.get(2).seen.isEmpty(), "nothing reached host 3's app: " + apps.get(2).seen);
        RunEvent.TriggerFired fired = events.of(RunEvent.TriggerFired.class).get(0);
        assertEquals("host2", fired.host());
        assertEquals(500L, fired.values().get("status"));

        String id = services.history().list().get(0).runId();
        RunState journal = services.history().show(id);
        assertEquals(Optional.of("rolled_back"), journal.status());
        assertEquals(Optional.of(3), journal.exitCode());
        assertEquals(Optional.of("rolled_back"), journal.hosts().get("host2").status());
        assertEquals(Optional.of("succeeded"), journal.hosts().get("host2").rollback());
        assertEquals("changed", journal.hosts().get("host2").steps().get("restore-config").outcome());
        assertEquals(Optional.empty(), journal.hosts().get("host3").status());
        String text = Files.readString(tmp.resolve("state/runs").resolve(id).resolve("journal.jsonl"));
        assertTrue(text.contains("\"type\":\"trigger-fired\"") && text.contains("\"trigger\":\"health-500\""), text);
    }
}
