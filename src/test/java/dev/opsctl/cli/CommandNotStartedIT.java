package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.target.ssh.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command that never started is judged by no one. On a real OpenSSH host, a login whose shell is {@code nologin}
 * exits 1, and so does {@code sudo -n} for a login that needs a password for sudo, given none: which is also what
 * {@code test -e LOCK} says for "no stale lock". A gate item expecting {@code rc == 1} must fail closed (probes run
 * without sudo: the login shell is what can refuse them), and {@code opsctl exec} must report the host as failed with
 * sudo's or the login shell's words.
 */
class CommandNotStartedIT {
    private static final String NOLOGIN = "opsctl-login-nologin-cli";

    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.227").withLoginUser(NOLOGIN, "/usr/sbin/nologin");

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("hosts.ini"), String.join("\n",
                "[web]",
                "web1 ansible_host=" + SSHD.address() + " ansible_port=" + SSHD.port() + " ansible_user=" + NOLOGIN,
                "[db]",
                "db1 ansible_host=" + SSHD.address() + " ansible_port=" + SSHD.port() + " ansible_user=" + OpenSshServer.PASSWORD_USER,
                ""));
        Files.writeString(dir.resolve("ssh_config"), "");
    }

    private CliResult opsctl(String... args) {
        List<String> all = new ArrayList<>(List.of(args[0], "--known-hosts", SSHD.knownHosts().toString(), "--identity",
                SSHD.clientKey().toString(), "--no-agent", "--ssh-config", dir.resolve("ssh_config").toString()));
        all.addAll(List.of(args).subList(1, args.length));
        return CliResult.run(Map.of("TERM", "dumb", "NO_COLOR", "1", "USER", "tester"), dir, all.toArray(String[]::new));
    }

    @Test
    void aGateItemWhoseLoginShellRunsNoCommandFailsClosedThoughItsExitIsTheExpectedOne() throws Exception {
        Path deployed = dir.resolve("deployed");
        Files.createDirectories(dir.resolve("checklists"));
        Files.writeString(dir.resolve("checklists/hostready.yaml"), """
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: hostready}
                scope: host
                items:
                  - id: no-stale-lock
                    text: No stale lock
                    probe: {shell: "test -e /nonexistent/stale.lock"}
                    expect: "rc == 1"
                """);
        Path runbook = Files.writeString(dir.resolve("gated.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: gated}
                targets: web
                gates:
                  before_host: [hostready]
                steps:
                  - id: deploy
                    shell: "touch %s"
                """.formatted(deployed));
        CliResult r = opsctl("run", runbook.toString(), "-i", "hosts.ini", "--yes", "--state-dir", "state");
        assertEquals(ExitCodes.GATE_FAILED, r.code(), r.dump());
        assertFalse(Files.exists(deployed), "no step ran past the gate: " + r.dump());
        StringBuilder journal = new StringBuilder();
        try (var files = Files.walk(dir.resolve("state"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                journal.append(Files.readString(f));
            }
        }
        assertTrue(journal.toString().contains("the probe could not check: the login shell of user '" + NOLOGIN + "' on host 'web1' "
                + "did not run the command (exit 1): 'This account is currently not available.'"), r.dump() + journal);
    }

    @Test
    void execReportsTheHostAsFailedWithSudosWordsNotExit1() {
        CliResult r = opsctl("exec", "-i", "hosts.ini", "-l", "db1", "-b", "--", "test -e /nonexistent/stale.lock");
        assertEquals(ExitCodes.FAILED, r.code(), r.dump());
        assertTrue(r.out().contains("db1 | FAILED"), r.dump());
        assertTrue(r.out().contains("  sudo on host 'db1' refused to run the command as 'root': 'sudo: a password is required'; "
                + "fix: allow it in sudoers (NOPASSWD) or give the sudo password (--ask-sudo-password, "), r.dump());
        assertFalse(r.out().contains("exit 1"), r.dump());
        CliResult json = opsctl("exec", "-i", "hosts.ini", "-l", "db1", "-b", "-o", "json", "--", "test -e /nonexistent/stale.lock");
        assertTrue(json.out().contains("\"status\":\"failed\""), json.dump());
        assertTrue(json.out().contains("\"exit_code\":-1"), json.dump());
        CliResult login = opsctl("exec", "-i", "hosts.ini", "-l", "web1", "--", "test -e /nonexistent/stale.lock");
        assertEquals(ExitCodes.FAILED, login.code(), login.dump());
        assertTrue(login.out().contains("  the login shell of user '" + NOLOGIN + "' on host 'web1' did not run the command (exit 1): "
                + "'This account is currently not available.'; fix: "), login.dump());
    }
}
