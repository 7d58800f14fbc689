package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.target.ssh.OpenSshServer;
import dev.opsctl.target.ssh.SshConfig;
import dev.opsctl.target.ssh.SshOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole run over SSH with the standard wiring: an opsctl YAML inventory of three real sshd hosts,
 * the runbook loader, sshj targets, the engine and the journal.
 */
class SshRunIT {
    @RegisterExtension
    static final OpenSshServer WEB1 = new OpenSshServer("127.0.1.8");

    @RegisterExtension
    static final OpenSshServer WEB2 = new OpenSshServer("127.0.1.9");

    @RegisterExtension
    static final OpenSshServer WEB3 = new OpenSshServer("127.0.1.10");

    @TempDir
    Path tmp;

    private Path inventory(String web2) throws Exception {
        return Files.writeString(tmp.resolve("inventory.yaml"), """
                apiVersion: opsctl/v1
                kind: Inventory
                hosts:
                  web1: %s
                  web2: %s
                  web3: %s
                groups:
                  web: {hosts: [web1, web2, web3]}
                """.formatted(entry(WEB1), web2, entry(WEB3)));
    }

    private static String entry(OpenSshServer s) {
        return "{address: " + s.address() + ", port: " + s.port() + ", user: " + OpenSshServer.USER + ", identity_file: "
                + s.clientKey() + "}";
    }

    private Path runbook(String strategy, String steps) throws Exception {
        return Files.writeString(tmp.resolve("rb.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: fleet}
                targets: web
                strategy: %s
                steps:
                %s""".formatted(strategy, steps.indent(2)));
    }

    private Env env() {
        return new Env(tmp.resolve("state"), Clock.systemUTC(), "alice", false, Map.of());
    }

    private int run(Path rb, Path inv, EventSink sink) throws Exception {
        SshOptions options = SshOptions.defaults()
                .withKnownHosts(List.of(WEB1.knownHosts(), WEB2.knownHosts(), WEB3.knownHosts()), false)
                .withIdentities(List.of(), false, Optional.empty())
                .withTimeouts(Optional.of(Duration.ofSeconds(5)), Optional.empty());
        Services services = Services.standard(env(), Prompter.NON_INTERACTIVE, new HostTargets(SshConfig.empty(), options));
        return services.runs().run(RunRequest.of(rb).withInventory(inv), sink);
    }

    private static List<String> hostOrder(RecordingSink events) {
        List<String> order = new ArrayList<>();
        for (RunEvent e : events.all()) {
            if (e instanceof RunEvent.HostStarted s) {
                order.add("start " + s.host());
            } else if (e instanceof RunEvent.HostFinished f) {
                order.add(f.status() + " " + f.host());
            }
        }
        return order;
    }

    private Path journal() throws Exception {
        try (Stream<Path> runs = Files.list(tmp.resolve("state/runs"))) {
            return runs.findFirst().orElseThrow().resolve("journal.jsonl");
        }
    }

    @Test
    void everyHostRunsItsStepsOverItsOwnConnectionOneHostAtATimeAndIsJournaled() throws Exception {
        RecordingSink events = new RecordingSink();
        int code = run(runbook("{serial: 1}", """
                - id: where
                  shell: "echo $SSH_CONNECTION | cut -d' ' -f3; id -un"
                - id: twice
                  shell: "echo {{ host.name }}"
                """), inventory(entry(WEB2)), events);

        assertEquals(ExitCodes.OK, code, events.all().toString());
        assertEquals(List.of("start web1", "ok web1", "start web2", "ok web2", "start web3", "ok web3"), hostOrder(events),
                "serial: 1 finishes each host before the next starts");
        assertEquals(3, events.of(RunEvent.BatchStarted.class).size());
        for (Map.Entry<String, OpenSshServer> e : Map.of("web1", WEB1, "web2", WEB2, "web3", WEB3).entrySet()) {
            String host = e.getKey();
            assertEquals(e.getValue().address() + "\n" + OpenSshServer.USER,
                    events.finished(host, "where").get(0).result().get("stdout"), "ran on " + host + "'s own sshd");
        }
        assertEquals("ssh " + OpenSshServer.USER + "@127.0.1.9:" + WEB2.port(),
                events.of(RunEvent.HostStarted.class).get(1).target());
        Path journal = journal();
        String text = Files.readString(journal);
        for (String h : List.of("web1", "web2", "web3")) {
            assertTrue(text.contains("\"host\":\"" + h + "\""), text);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journal)));
        assertEquals("ok", Services.standard(env(), Prompter.NON_INTERACTIVE).history().list().get(0).status());
    }

    @Test
    void aHostWithNoSshdIsUnreachableNotFailedAndTheRolloutHalts() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.1.11"))) {
            closedPort = s.getLocalPort();
        }
        RecordingSink events = new RecordingSink();
        long t0 = System.nanoTime();
        int code = run(runbook("{serial: 1}", "- id: hello\n  shell: 'true'\n"),
                inventory("{address: 127.0.1.11, port: " + closedPort + ", user: " + OpenSshServer.USER + "}"), events);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertEquals(ExitCodes.FAILED, code, events.all().toString());
        assertEquals(List.of("start web1", "ok web1", "start web2", "unreachable web2"), hostOrder(events));
        RunEvent.HostFinished web2 = events.of(RunEvent.HostFinished.class).get(1);
        assertTrue(web2.message().contains("host 'web2' is unreachable: connection refused by '127.0.1.11:" + closedPort + "'"),
                web2.message());
        assertEquals("unreachable", events.finished("web2", "hello").get(0).outcome());
        RunEvent.RunFinished end = events.of(RunEvent.RunFinished.class).get(0);
        assertEquals(Map.of("web1", "ok", "web2", "unreachable", "web3", "not_started"), end.hosts());
        assertTrue(end.message().contains("1 host unreachable, more than max_failures (0)"), end.message());
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "a refused port fails fast, took " + took);
    }

    @Test
    void sshdKilledMidCommandHaltsTheRolloutNamingHostAndStepSinceTheCommandMayStillRunThere() throws Exception {
        RecordingSink recorded = new RecordingSink();
        EventSink sink = e -> {
            recorded.accept(e);
            if (e instanceof RunEvent.StepStarted s && s.host().equals("web1") && s.step().equals("long")) {
                Thread killer = new Thread(() -> {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException x) {
                        return;
                    }
                    WEB1.stop();
                });
                killer.start();
            }
        };
        int code;
        long t0 = System.nanoTime();
        try {
            code = run(runbook("{serial: 1, max_failures: 1, continue_on_failure: true}", """
                    - id: hello
                      shell: 'true'
                    - id: long
                      shell: 'sleep 20'
                      when: "host.name == 'web1'"
                    - id: after
                      shell: 'true'
                    """), inventory(entry(WEB2)), sink);
        } finally {
            WEB1.start();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertEquals(ExitCodes.HUMAN_MUST_ACT, code, recorded.all().toString());
        assertEquals(List.of("start web1", "halted web1"), hostOrder(recorded),
                "within max_failures: 1, but no host starts while a command may still run on web1 (sshd gone, it was not stopped)");
        RunEvent.StepFinished longStep = recorded.finished("web1", "long").get(0);
        assertEquals("connection_lost", longStep.outcome());
        assertTrue(longStep.message().contains("host 'web1'") && longStep.message().contains("broke while running 'sleep 20'"),
                longStep.message());
        assertTrue(recorded.finished("web1", "after").isEmpty(), "no step runs after the failure");
        RunEvent.HostFinished web1 = recorded.of(RunEvent.HostFinished.class).get(0);
        assertTrue(web1.message().startsWith("step 'long' lost its connection mid-way: its command may still be running, or its change may have been applied: "
                + "host 'web1': the ssh connection to '127.0.1.8:"), web1.message());
        RunEvent.RunFinished end = recorded.of(RunEvent.RunFinished.class).get(0);
        assertTrue(end.message().startsWith("host 'web1': step 'long' lost its connection mid-way"), end.message());
        assertFalse(end.message().contains("web2"), end.message());
        assertTrue(took.compareTo(Duration.ofSeconds(25)) < 0,
                "the broken connection is noticed at once, then the host tried again for Reconnection's 10 s; took " + took);
    }
}
