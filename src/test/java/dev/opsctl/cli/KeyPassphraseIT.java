package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ssh.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A passphrase-protected key file logs in on a real OpenSSH host when its passphrase is given on
 * the command line's terms; without one (and no terminal to ask on) the key is skipped and the
 * failure says what was tried. The passphrase is printed and journaled nowhere.
 */
class KeyPassphraseIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.18");

    private static final String PASSPHRASE = "correct horse 7q";

    @TempDir
    static Path dir;

    private static Path key;

    @BeforeAll
    static void encryptedKey() throws Exception {
        key = dir.resolve("id_ed25519");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", PASSPHRASE, "-C", "encrypted", "-f", key.toString())
                .inheritIO().start();
        assertEquals(0, p.waitFor());
        Files.writeString(SSHD.dir().resolve("authorized_keys"), Files.readString(Path.of(key + ".pub")), StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("hosts.ini"), "web1 ansible_host=" + SSHD.address() + " ansible_port=" + SSHD.port()
                + " ansible_user=" + OpenSshServer.USER + "\n");
        Files.writeString(dir.resolve("ssh_config"), "");
    }

    private static CliResult opsctl(Map<String, String> extraEnv, String command, String... rest) {
        Map<String, String> env = new HashMap<>(Map.of("TERM", "dumb", "NO_COLOR", "1", "USER", "tester"));
        env.putAll(extraEnv);
        List<String> all = new ArrayList<>(List.of(command, "-i", "hosts.ini", "--known-hosts", SSHD.knownHosts().toString(),
                "--identity", key.toString(), "--no-agent", "--ssh-config", "ssh_config"));
        all.addAll(List.of(rest));
        return CliResult.run(env, dir, all.toArray(String[]::new));
    }

    @Test
    void execLogsInWithThePassphraseFromTheEnvironment() {
        CliResult r = opsctl(Map.of("KEY_PASS", PASSPHRASE), "exec", "--key-passphrase-env", "KEY_PASS", "--", "whoami");
        assertEquals(0, r.code(), r.dump());
        assertTrue(r.out().contains("web1 | OK | rc=0"), r.dump());
        assertTrue(r.out().contains("\n" + OpenSshServer.USER + "\n"), r.dump());
        assertFalse(r.out().contains(PASSPHRASE) || r.err().contains(PASSPHRASE), r.dump());
    }

    @Test
    void withoutAPassphraseTheEncryptedKeyIsSkippedAndTheFailureSaysSo() {
        CliResult r = opsctl(Map.of(), "exec", "--", "whoami");
        assertEquals(1, r.code(), r.dump());
        assertTrue(r.out().contains("web1 | UNREACHABLE"), r.dump());
        assertTrue(r.out().contains("'" + key + "' (encrypted: no passphrase given"), r.dump());
        assertTrue(r.out().contains("--key-passphrase-env NAME or --key-passphrase-file FILE"), r.dump());
    }

    @Test
    void aRunTakesThePassphraseFromAPrivateFile() throws Exception {
        Path file = Files.writeString(dir.resolve("key-pass"), PASSPHRASE + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Path runbook = Files.writeString(dir.resolve("who.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: who}
                steps:
                  - id: who
                    shell: test "$(whoami)" = %s
                """.formatted(OpenSshServer.USER));
        CliResult r = opsctl(Map.of(), "run", runbook.toString(), "--yes", "--state-dir", "state", "--key-passphrase-file", "key-pass");
        assertEquals(0, r.code(), r.dump());
        try (Stream<Path> files = Files.walk(dir.resolve("state"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f).contains(PASSPHRASE), "the passphrase is in " + f);
            }
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        CliResult open = opsctl(Map.of(), "run", runbook.toString(), "--yes", "--state-dir", "state", "--key-passphrase-file", "key-pass");
        assertEquals(2, open.code(), open.dump());
        assertTrue(open.err().contains("may be read by others than its owner (mode rw-r-----)"), open.dump());
    }
}
