package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ssh.OpenSshServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sudo password, given on the command line's terms (an environment variable, a private file),
 * reaches sudo on a real OpenSSH host for every kind of step (commands and file writes), as root or as
 * the inventory's become user, and nowhere else. The host's login needs its password for sudo.
 */
class SudoPasswordIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.17");

    @TempDir
    Path dir;

    private Path inventory;
    private Path dest;

    @BeforeEach
    void setUp() throws Exception {
        String host = " ansible_host=" + SSHD.address() + " ansible_port=" + SSHD.port() + " ansible_user=" + OpenSshServer.PASSWORD_USER;
        inventory = Files.writeString(dir.resolve("hosts.ini"), String.join("\n",
                "[db]",
                "db1" + host + " ansible_become=true ansible_become_user=" + OpenSshServer.USER,
                "[plain]",
                "web1" + host,
                ""));
        // a directory only root may write in, and one only the become user may: a write to either needs sudo as that user
        dest = Files.createTempDirectory(Path.of("/var/tmp"), "opsctl-sudo-it");
        Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rwx--x--x"));
        Path app = Files.createDirectory(dest.resolve("app"));
        Files.setOwner(app, app.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OpenSshServer.USER));
        Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(dir.resolve("ssh_config"), "");
    }

    private CliResult opsctl(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("TERM", "dumb", "NO_COLOR", "1", "USER", "tester"));
        env.putAll(extraEnv);
        // the subcommand, then how to reach the host, then the rest (which may end with '-- COMMAND')
        List<String> all = new ArrayList<>(List.of(args[0]));
        all.addAll(List.of(args).subList(1, args.length));
        all.addAll(1, List.of("--known-hosts", SSHD.knownHosts().toString(), "--identity", SSHD.clientKey().toString(), "--no-agent",
                "--ssh-config", dir.resolve("ssh_config").toString()));
        return CliResult.run(env, dir, all.toArray(String[]::new));
    }

    private Path runbook() throws IOException {
        return Files.writeString(dir.resolve("sudo.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: sudo-password}
                targets: [db]
                steps:
                  - id: root-file
                    copy: {content: "written as root\\n", dest: "%1$s/root.conf", mode: "0640"}
                    sudo: true
                  - id: who
                    shell: test "$(id -un)" = %2$s || { id -un; exit 1; }
                  - id: app-file
                    copy: {content: "written as the become user\\n", dest: "%1$s/app/app.conf"}
                  - id: root-reads
                    shell: cat %1$s/root.conf
                    sudo: true
                """.formatted(dest, OpenSshServer.USER));
    }

    @Test
    void aRunGivesThePasswordToSudoForCommandsAndFilesAsRootAndAsTheBecomeUser() throws Exception {
        CliResult r = opsctl(Map.of("DB_SUDO", OpenSshServer.SUDO_PASSWORD), "run", runbook().toString(), "-i", inventory.toString(),
                "--yes", "--state-dir", "state", "--sudo-password-env", "DB_SUDO");
        assertEquals(0, r.code(), r.dump());
        assertEquals("written as root\n", Files.readString(dest.resolve("root.conf")));
        assertEquals("root", Files.getOwner(dest.resolve("root.conf")).getName());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest.resolve("root.conf"))));
        assertEquals("written as the become user\n", Files.readString(dest.resolve("app/app.conf")));
        assertEquals(OpenSshServer.USER, Files.getOwner(dest.resolve("app/app.conf")).getName());
        assertNowhere(OpenSshServer.SUDO_PASSWORD, r);
    }

    @Test
    void withoutThePasswordTheStepFailsOnSudoAndNothingIsWritten() throws Exception {
        CliResult r = opsctl(Map.of(), "run", runbook().toString(), "-i", inventory.toString(), "--yes", "--state-dir", "state");
        assertEquals(1, r.code(), r.dump());
        assertTrue(r.err().contains("host db1: step 'root-file' failed"), r.dump());
        assertTrue(r.err().contains("step 'root-file' failed: sudo on host 'db1' refused to run the command as 'root': "
                + "'sudo: a password is required'\n"), r.dump());
        assertTrue(r.err().contains("  fix: allow it in sudoers (NOPASSWD) or give the sudo password (--ask-sudo-password, "
                + "--sudo-password-env NAME or --sudo-password-file FILE); rerun with 'opsctl runs resume "), r.dump());
        assertFalse(Files.exists(dest.resolve("root.conf")));
    }

    @Test
    void execTakesThePasswordFromAPrivateFileAndRefusesAFileOthersCanRead() throws Exception {
        Path secret = Files.writeString(dir.resolve("sudo-pass"), OpenSshServer.SUDO_PASSWORD + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        CliResult asRoot = opsctl(Map.of(), "exec", "-i", inventory.toString(), "-b", "--sudo-password-file", "sudo-pass", "--", "id -un");
        assertEquals(0, asRoot.code(), asRoot.dump());
        assertEquals("root", outputOf(asRoot, "db1"), asRoot.dump());
        assertEquals("root", outputOf(asRoot, "web1"), asRoot.dump());
        CliResult become = opsctl(Map.of(), "exec", "-i", inventory.toString(), "--sudo-password-file", "sudo-pass", "--", "id -un");
        assertEquals(0, become.code(), become.dump());
        assertEquals(OpenSshServer.USER, outputOf(become, "db1"), "the become host as its become user: " + become.dump());
        assertEquals(OpenSshServer.PASSWORD_USER, outputOf(become, "web1"), "the plain host as its login: " + become.dump());
        assertNowhere(OpenSshServer.SUDO_PASSWORD, asRoot);
        assertNowhere(OpenSshServer.SUDO_PASSWORD, become);

        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        CliResult open = opsctl(Map.of(), "exec", "-i", inventory.toString(), "-b", "--sudo-password-file", "sudo-pass", "--", "true");
        assertEquals(2, open.code(), open.dump());
        assertTrue(open.err().contains("may be read by others than its owner (mode rw-r--r--)"), open.dump());
        assertTrue(open.err().contains("chmod 600"), open.dump());
    }

    @Test
    void askingNeedsATerminal() throws Exception {
        CliResult r = opsctl(Map.of(), "run", runbook().toString(), "-i", inventory.toString(), "--yes", "--state-dir", "state",
                "--ask-sudo-password");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().contains("--ask-sudo-password needs a terminal to ask on"), r.dump());
        assertFalse(Files.exists(dir.resolve("state/runs")) && hasRuns(dir.resolve("state/runs")), "no run was started");
    }

    /** The one output line of an OK host in exec's grouped output. */
    private static String outputOf(CliResult r, String host) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + host + " \\| OK \\| rc=0 \\| \\d+ms >>\n(.*)$").matcher(r.out());
        return m.find() ? m.group(1) : "(no OK output for " + host + ")";
    }

    private static boolean hasRuns(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            return s.findAny().isPresent();
        }
    }

    private void assertNowhere(String secret, CliResult r) throws IOException {
        assertFalse(r.out().contains(secret) || r.err().contains(secret), "the password was printed:\n" + r.dump());
        Path state = dir.resolve("state");
        if (Files.exists(state)) {
            try (Stream<Path> files = Files.walk(state)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertFalse(Files.readString(f).contains(secret), "the password is in " + f);
                }
            }
        }
    }
}
