package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.shell.IncidentShell;
import dev.opsctl.target.ssh.OpenSshServer;
import dev.opsctl.target.ssh.SshTargets;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

class ExecCommandIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.5");

    private record Run(int code, String out, String err) {}

    private static Run exec(String... args) throws Exception {
        Path inv = Files.createTempFile("inv", ".ini");
        Files.writeString(inv, String.join("\n",
                "[web]",
                "web1 ansible_host=" + SSHD.address() + " ansible_port=" + SSHD.port() + " ansible_user=opsctl-test",
                "web2 ansible_host=" + SSHD.address() + " ansible_port=" + SSHD.port() + " ansible_user=opsctl-test",
                "[db]",
                "db1 ansible_host=" + SSHD.address() + " ansible_port=1 ansible_user=opsctl-test",
                "[ops]",
                "here ansible_connection=local",
                ""));
        Path emptyConfig = Files.createTempFile("ssh", "config");
        List<String> all = new ArrayList<>(List.of("-i", inv.toString(), "--known-hosts", SSHD.knownHosts().toString(),
                "--identity", SSHD.clientKey().toString(), "--no-agent", "--ssh-config", emptyConfig.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new ExecCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void groupsOutputPerHostAndSummarisesWithANonZeroExitWhenAHostIsUnreachable() throws Exception {
        Run r = exec("-l", "web:db", "--", "echo", "hi from $(hostname) as $(whoami)");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("web1 | OK | rc=0"), r.out());
        assertTrue(r.out().contains("hi from"), r.out());
        assertTrue(r.out().contains("db1 | UNREACHABLE"), r.out());
        assertTrue(r.out().contains("connection refused"), r.out());
        assertTrue(r.out().endsWith("3 hosts: 2 ok, 0 failed, 1 unreachable\n"), r.out());
    }

    @Test
    void limitStreamAndJson() throws Exception {
        Run r = exec("-l", "web:!web2", "--stream", "-o", "json", "--", "echo", "one;", "exit", "3");
        assertEquals(1, r.code(), r.out() + r.err());
        String[] lines = r.out().split("\n");
        assertEquals("{\"host\":\"web1\",\"stream\":\"stdout\",\"line\":\"one\"}", lines[0]);
        assertTrue(lines[1].startsWith("{\"host\":\"web1\",\"status\":\"failed\",\"exit_code\":3,"), lines[1]);
        assertEquals("{\"summary\":{\"hosts\":1,\"ok\":0,\"failed\":1,\"unreachable\":0,\"lost\":0,\"may_still_run\":0}}", lines[2]);
    }

    @Test
    void runsOnLocalHostsThroughTheLocalTarget() throws Exception {
        Run r = exec("-l", "ops", "--", "echo", "local");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("here | OK | rc=0"), r.out());
    }

    @Test
    void aPatternThatMatchesNothingIsAUsageError() throws Exception {
        Run r = exec("-l", "wbe", "--", "true");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("did you mean 'web'?"), r.err());
    }

    @Test
    void inTheShellTheNextExecOnTheSameHostsReusesTheirConnectionsAndDisconnectClosesThem() throws Exception {
        Path dir = Files.createTempDirectory("shell");
        Path inv = dir.resolve("hosts.ini");
        Files.writeString(inv, "[web]\nweb1 ansible_host=" + SSHD.address() + " ansible_port=" + SSHD.port()
                + " ansible_user=opsctl-test\n");
        Path emptyConfig = Files.writeString(dir.resolve("ssh_config"), "");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
        CliEnv env = new CliEnv(quiet, quiet, Map.of("USER", "alice", "NO_COLOR", "1", "TERM", "dumb"), dir, false);
        CommandLine.ParseResult parsed = OpsctlCommand.commandLine(env).parseArgs("shell", "--state-dir", "state", "-i", "hosts.ini");
        ShellCommand shell = (ShellCommand) parsed.subcommand().commandSpec().userObject();
        assertEquals(Duration.ofMinutes(5), shell.keepConnections, "kept 5 minutes unless told otherwise");
        String exec = "exec --known-hosts " + SSHD.knownHosts() + " --identity " + SSHD.clientKey() + " --no-agent --ssh-config "
                + emptyConfig + " -- whoami";
        String lines = String.join("\n", exec, exec, "time " + exec, "status", "disconnect", exec, "");
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        long logins = SSHD.acceptedLogins();
        SshTargets.keepConnections(shell.keepConnections); // as ShellCommand.call does
        try {
            try (IncidentShell s = IncidentShell.piped(shell.setup(),
                    new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)), screen)) {
                assertEquals(0, s.run());
                assertEquals(1, SshTargets.keptConnections(), "the last exec's connection, kept");
            }
            assertEquals(0, SshTargets.keptConnections(), "closed when the shell ended");
        } finally {
            SshTargets.keepConnections(Duration.ZERO);
        }
        String out = screen.toString(StandardCharsets.UTF_8);
        assertEquals(4, out.split("web1 \\| OK \\| rc=0", -1).length - 1, out);
        assertTrue(out.matches("(?s).*time: \\d+\\.\\d{3}s \\(exit 0\\).*"), out);
        assertTrue(out.contains("ssh connections: 1 kept for the next command"), out);
        assertTrue(out.contains("ssh connections: closed 1 kept connection"), out);
        assertEquals(logins + 2, SSHD.acceptedLogins(), "three commands on one login, then one after 'disconnect':\n" + out);
    }
}
