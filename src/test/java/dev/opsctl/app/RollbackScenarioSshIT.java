package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.action.http.TestServer;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.execute.HostHooks;
import dev.opsctl.engine.execute.Sleeper;
import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.engine.journal.RunState;
import dev.opsctl.event.RunEvent;
import dev.opsctl.inventory.Connection;
import dev.opsctl.inventory.Host;
import dev.opsctl.inventory.Inventory;
import dev.opsctl.runbook.load.Checklists;
import dev.opsctl.target.Target;
import dev.opsctl.target.local.LocalTarget;
import dev.opsctl.target.ssh.OpenSshServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario over real SSH: three hosts, each a real OpenSSH sshd on its own loopback address;
 * host 2's /health turns 500 after its deploy step. Host 2 is rolled back over SSH (backup and restore
 * run on the host through the SSH target), host 3 is never touched, exit 3.
 */
class RollbackScenarioSshIT {
    @RegisterExtension
    static final OpenSshServer SSH1 = new OpenSshServer("127.0.1.7");

    @RegisterExtension
    static final OpenSshServer SSH2 = new OpenSshServer("127.0.1.8");

    @RegisterExtension
    static final OpenSshServer SSH3 = new OpenSshServer("127.0.1.9");

    @TempDir
    Path tmp;

    private final List<TestServer> apps = new ArrayList<>();

    @AfterEach
    void stopApps() {
        apps.forEach(TestServer::close);
    }

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
                .on("/health", x -> new TestServer.Answer(broken.get() ? 500 : 200, "", 0));
        apps.add(s);
        return s;
    }

    @Test
    void host2IsRolledBackOverSshHost3IsUntouchedAndTheRunExits3() throws Exception {
        // given: config files the ssh user may change, in a directory only this test uses
        Path shared = Files.createDirectory(tmp.resolve("hosts"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path rb = Files.writeString(tmp.resolve("userns-remap.yaml"), RollbackScenarioTest.RUNBOOK);
        List<OpenSshServer> servers = List.of(SSH1, SSH2, SSH3);
        List<Path> confs = new ArrayList<>();
        List<Host> hosts = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path conf = Files.writeString(shared.resolve("daemon-" + i + ".json"), "{\"original\": " + i + "}\n");
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-rw-rw-"));
            confs.add(conf);
            int port = URI.create(app(i == 2).url("/")).getPort();
            OpenSshServer s = servers.get(i - 1);
            hosts.add(new Host("docker" + i, s.address(), Optional.of(s.port()), Optional.of(OpenSshServer.USER), Optional.empty(),
                    false, "root", Connection.SSH, List.of("all", "docker_hosts"), Map.of("port", (long) port, "conf", conf.toString())));
        }
        TargetProvider ssh = new TargetProvider() {
            @Override
            public Target open(Host host) {
                return servers.get(Integer.parseInt(host.name().substring("docker".length())) - 1).target();
            }

            @Override
            public Target controller(Host forHost) {
                return new LocalTarget("localhost");
            }
        };
        Inventory inv = new Inventory("inv.yaml", hosts, Map.of("all", hosts.stream().map(Host::name).toList(),
                "docker_hosts", hosts.stream().map(Host::name).toList()));
        Env env = Env.from(Map.of("USER", "alice", "HOME", tmp.toString()), Optional.of(tmp.resolve("state")), Optional.empty(),
                false, Clock.systemUTC());
        Services services = new Services(env, new LoaderRunbooks(ActionRegistry.standard(), Checklists.ANY), file -> inv, ssh,
                HostHooks.NONE, Sleeper.REAL, Prompter.NON_INTERACTIVE, new Random(11));
        RecordingSink events = new RecordingSink();

        // when
        int code = services.runs().run(RunRequest.of(rb).withInventory(Path.of("inv.yaml")), events);

        // then
        assertEquals(ExitCodes.ROLLED_BACK, code, events.all().toString());
        assertEquals(Map.of("docker1", "ok", "docker2", "rolled_back", "docker3", "not_started"),
                events.of(RunEvent.RunFinished.class).get(0).hosts());
        assertEquals("userns-remap\n", Files.readString(confs.get(0)));
        assertEquals("{\"original\": 2}\n", Files.readString(confs.get(1)), "restored over ssh from its backup");
        assertEquals("{\"original\": 3}\n", Files.readString(confs.get(2)));
        assertEquals(0, SSH3.acceptedLogins(), "nobody logged in to host 3");
        RunState journal = services.history().show(services.history().list().get(0).runId());
        assertEquals(Optional.of("succeeded"), journal.hosts().get("docker2").rollback());
        assertTrue(journal.hosts().get("docker2").steps().containsKey("restore-config"));
    }
}
