package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.target.ssh.OpenSshServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code opsctl exec} on a host whose connection breaks while its command runs: the command was
 * started there and may have run, so the host is {@code LOST}, not unreachable (nothing ran on an
 * unreachable host); one whose command opsctl could not stop makes the exec exit 4.
 */
class ExecLostConnectionIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.197");

    private record Run(int code, String out, String err) {}

    private final Path pidFile = Path.of("/tmp", "opsctl-exec-lost-" + System.nanoTime() + ".pid");

    @AfterEach
    void cleanUp() throws Exception {
        if (Files.exists(pidFile)) {
            ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroyForcibly);
            Files.delete(pidFile);
        }
    }

    private long pid() throws Exception {
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    /**
     * {@code opsctl exec} of a command that writes its sleep's pid and waits for it, on web1 (the
     * sshd) and db1 (a port with nothing listening); {@code breaking} runs once the pid is written.
     */
    private Run execBrokenBy(Runnable breaking, String... options) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(SSHD.address()))) {
            closedPort = s.getLocalPort();
        }
        Path inv = Files.createTempFile("inv", ".ini");
        Files.writeString(inv, String.join("\n",
                "web1 ansible_host=" + SSHD.address() + " ansible_port=" + SSHD.port() + " ansible_user=opsctl-test",
                "db1 ansible_host=" + SSHD.address() + " ansible_port=" + closedPort + " ansible_user=opsctl-test",
                ""));
        Path emptyConfig = Files.createTempFile("ssh", "config");
        List<String> all = new ArrayList<>(List.of("-i", inv.toString(), "--known-hosts", SSHD.knownHosts().toString(),
                "--identity", SSHD.clientKey().toString(), "--no-agent", "--ssh-config", emptyConfig.toString(), "-l", "web1:db1"));
        all.addAll(List.of(options));
        all.addAll(List.of("--", "echo started; sleep 300 & echo $! > " + pidFile + "; wait"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new ExecCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        FutureTask<Integer> run = new FutureTask<>(() -> cmd.execute(all.toArray(String[]::new)));
        new Thread(run, "exec").start();
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(Files.exists(pidFile) && Files.size(pidFile) > 0) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(pidFile), "the command started");
        Thread.sleep(300); // its process group line is read by then
        breaking.run();
        int code = run.get(60, TimeUnit.SECONDS);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aHostWhoseConnectionBrokeUnderItsCommandIsLostNotUnreachable() throws Exception {
        Run r = execBrokenBy(SSHD::killConnectionProcesses);
        assertEquals(ExitCodes.FAILED, r.code(), "opsctl stopped the command: a failure, not a halt\n" + r.out() + r.err());
        assertTrue(r.out().startsWith("web1 | LOST | "), r.out());
        assertFalse(r.out().contains("web1 | UNREACHABLE"), r.out());
        assertTrue(r.out().contains("\ndb1 | UNREACHABLE | "), "nothing ran there: " + r.out());
        assertTrue(r.out().startsWith("web1 | LOST | ") && r.out().contains(" >>\nstarted\n  host 'web1': the ssh connection to '127.0.1.197:"
                + SSHD.port() + "' broke while running 'echo started;"), "what it wrote before the break is shown: " + r.out());
        assertTrue(r.out().contains("; opsctl reconnected and stopped it (TERM)\n"), r.out());
        assertTrue(r.out().endsWith("2 hosts: 0 ok, 0 failed, 1 unreachable, 1 lost (the connection broke while the command ran)\n"),
                r.out());
        assertFalse(OpenSshServer.alive(pid()), "stopped from a new connection");
    }

    @Test
    void streamedTheLostHostIsToldApartToo() throws Exception {
        Run r = execBrokenBy(SSHD::killConnectionProcesses, "--stream");
        assertEquals(ExitCodes.FAILED, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("web1 | started\n"), r.out());
        assertTrue(r.out().matches("(?s).*\nweb1 \\| LOST \\| [0-9a-z]+\n  host 'web1': the ssh connection to .*"), r.out());
        assertTrue(r.out().endsWith("2 hosts: 0 ok, 0 failed, 1 unreachable, 1 lost (the connection broke while the command ran)\n"),
                r.out());
    }

    @Test
    void aLostHostWhoseCommandMayStillRunExitsFourAndSaysSoInJson() throws Exception {
        Run r;
        try {
            r = execBrokenBy(SSHD::killSshdLeavingCommands, "-o", "json");
        } finally {
            SSHD.start();
        }
        assertEquals(ExitCodes.HUMAN_MUST_ACT, r.code(), r.out() + r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("{\"host\":\"web1\",\"status\":\"lost\",\"exit_code\":-1,"), lines[0]);
        assertTrue(lines[0].contains("\"stdout\":\"started\\n\""), lines[0]);
        assertTrue(lines[0].contains("; it may still be running on the host: could not reconnect (connection refused by"), lines[0]);
        assertTrue(lines[0].endsWith(",\"may_still_run\":true,\"truncated\":false}"), lines[0]);
        assertTrue(lines[1].startsWith("{\"host\":\"db1\",\"status\":\"unreachable\","), lines[1]);
        assertTrue(lines[1].contains(",\"may_still_run\":false,"), lines[1]);
        assertEquals("{\"summary\":{\"hosts\":2,\"ok\":0,\"failed\":0,\"unreachable\":1,\"lost\":1,\"may_still_run\":1}}", lines[2]);
        assertTrue(OpenSshServer.alive(pid()), "nothing could stop it");
    }
}
