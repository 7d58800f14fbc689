package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files make the ssh config: the user's, its Includes, the system's; and who may write them. */
class SshConfigFilesTest {
    @TempDir
    Path home;
    private Path ssh;
    private Path etc;

    @BeforeEach
    void dirs() throws IOException {
        ssh = Files.createDirectories(home.resolve(".ssh"));
        etc = Files.createDirectories(home.resolve("etc/ssh"));
    }

    private Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private SshConfig standard() throws IOException {
        return SshConfig.standard(Optional.empty(), home, etc.resolve("ssh_config"));
    }

    private Map<String, List<String>> resolve(String host) throws IOException {
        return standard().resolve(host);
    }

    @Test
    void anIncludeReadsItsFilesInPlaceRelativeToDotSshInGlobOrderSkippingHiddenFilesAndDirectories() throws IOException {
        write(ssh.resolve("config"), """
                Include conf.d/*.conf
                Host *
                  User fallback
                """);
        write(ssh.resolve("conf.d/20-web.conf"), "Host web1\n  User second\n  Port 2202\n");
        write(ssh.resolve("conf.d/10-web.conf"), "Host web1\n  User first\n");
        write(ssh.resolve("conf.d/.05-hidden.conf"), "Host web1\n  User hidden\n");
        Files.createDirectories(ssh.resolve("conf.d/30-dir.conf"));
        Map<String, List<String>> web = resolve("web1");
        assertEquals(List.of("first"), web.get("user"), "10- before 20-, the hidden file skipped");
        assertEquals(List.of("2202"), web.get("port"));
        assertEquals(List.of("fallback"), resolve("db1").get("user"));
    }

    @Test
    void anIncludeInsideAHostBlockAppliesOnlyToThatHostAndItsHostLinesDoNotLeakOut() throws IOException {
        write(ssh.resolve("config"), """
                Host bastion
                  Include bastion.conf
                  Port 2200
                Host *
                  User everyone
                """);
        write(ssh.resolve("bastion.conf"), """
                HostName 10.0.0.1
                Host web*
                  User leaked
                """);
        Map<String, List<String>> b = resolve("bastion");
        assertEquals(List.of("10.0.0.1"), b.get("hostname"));
        assertEquals(List.of("2200"), b.get("port"), "after the Include, the including Host block applies again");
        assertEquals(List.of("everyone"), resolve("web1").get("user"), "an Include in a block that does not apply is not read");
        assertFalse(resolve("web1").containsKey("hostname"));
    }

    @Test
    void aMissingIncludeIsNothingAndALoopIsAnErrorNamingTheLine() throws IOException {
        write(ssh.resolve("config"), "Include nowhere.conf\nUser u\n");
        assertEquals(List.of("u"), resolve("h").get("user"));
        write(ssh.resolve("config"), "Include loop.conf\n");
        write(ssh.resolve("loop.conf"), "Include loop.conf\n");
        IOException e = assertThrows(IOException.class, this::standard);
        assertTrue(e.getMessage().startsWith(ssh.resolve("loop.conf") + ":1: Include nested more than 16 deep"), e.getMessage());
    }

    @Test
    void aConfigOrIncludedFileOthersCanWriteIsRefusedWholeAsOpenSshRefusesIt() throws IOException {
        write(ssh.resolve("config"), "Include other.conf\n");
        Path other = write(ssh.resolve("other.conf"), "Host *\n  ProxyJump evil\n");
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-rw-r--"));
        IOException e = assertThrows(IOException.class, this::standard);
        assertEquals("bad owner or permissions on '" + other + "': others than its owner may write it, so they could send"
                + " your logins elsewhere; nothing was read (fix: chmod go-w '" + other + "')", e.getMessage());
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(ssh.resolve("config"), PosixFilePermissions.fromString("rw-rw-rw-"));
        assertTrue(assertThrows(IOException.class, this::standard).getMessage().startsWith("bad owner or permissions on '"
                + ssh.resolve("config") + "'"));
        // as ssh -F, a config named on the command line is not checked (its Includes are)
        assertEquals(List.of("evil"), SshConfig.standard(Optional.of(ssh.resolve("config")), home, etc.resolve("ssh_config"))
                .resolve("h").get("proxyjump"));
    }

    @Test
    void theSystemFileComesAfterTheUsersAndItsIncludesAreRelativeToItsDirectory() throws IOException {
        write(ssh.resolve("config"), "Host *\n  User mine\n");
        write(etc.resolve("ssh_config"), "Include ssh_config.d/*.conf\nHost *\n  User system\n  Port 2022\n");
        write(etc.resolve("ssh_config.d/site.conf"), "Host *\n  IdentityFile /keys/site\n");
        Map<String, List<String>> h = resolve("h");
        assertEquals(List.of("mine"), h.get("user"));
        assertEquals(List.of("2022"), h.get("port"));
        assertEquals(List.of("/keys/site"), h.get("identityfile"));
        assertEquals(ssh.resolve("config") + ", " + etc.resolve("ssh_config"), standard().file());
        // a named config replaces both, as ssh -F does; 'none' is no config at all
        Path named = write(home.resolve("named.conf"), "Port 1\n");
        assertEquals(Map.of("port", List.of("1")), SshConfig.standard(Optional.of(named), home, etc.resolve("ssh_config")).resolve("h"));
        assertEquals(Map.of(), SshConfig.standard(Optional.of(Path.of("none")), home, etc.resolve("ssh_config")).resolve("h"));
    }

    @Test
    void aSystemFileMayNotIncludeFromAHome() throws IOException {
        write(etc.resolve("ssh_config"), "Include ~/.ssh/x.conf\n");
        IOException e = assertThrows(IOException.class, this::standard);
        assertTrue(e.getMessage().startsWith(etc.resolve("ssh_config") + ":1: bad include path '~/.ssh/x.conf'"), e.getMessage());
    }

    @Test
    void debiansDefaultSystemFileGivesNoWarning() throws IOException {
        write(etc.resolve("ssh_config"), """
                Include /etc/ssh/ssh_config.d/*.conf
                Host *
                    SendEnv LANG LC_*
                    HashKnownHosts yes
                    GSSAPIAuthentication yes
                """);
        assertEquals(List.of(), standard().warnings());
        assertEquals(List.of("yes"), resolve("h").get("hashknownhosts"));
    }

    @Test
    void aFileWithBytesThatAreNotUtf8IsReadAsSshReadsIt() throws IOException {
        Files.write(ssh.resolve("config"), "# M\u00fcller's hosts\nHost h\n  User x\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(List.of("x"), resolve("h").get("user"));
    }

    @Test
    void aKeywordWithoutItsValueStopsTheConfigAsItStopsSsh() throws IOException {
        write(ssh.resolve("config"), "Host h\n  User\n");
        IOException e = assertThrows(IOException.class, this::standard);
        assertEquals(ssh.resolve("config") + ":2: 'User' needs a value", e.getMessage());
    }

    @Test
    void aDistributionsCryptoPolicyInTheSystemFilesIsNoWarningButTheUsersAlgorithmListIs() throws IOException {
        write(etc.resolve("ssh_config"), "Include ssh_config.d/*.conf\n");
        write(etc.resolve("ssh_config.d/50-redhat.conf"), "Match final all\n  Include /etc/crypto-policies/back-ends/openssh.config\n"
                + "Ciphers aes256-gcm@openssh.com\nMACs hmac-sha2-256\n");
        write(ssh.resolve("config"), "KexAlgorithms curve25519-sha256\n");
        assertEquals(List.of(ssh.resolve("config") + ":1: 'KexAlgorithms' is not supported by opsctl and is ignored: opsctl"
                + " negotiates its own list of algorithms"), standard().warnings());
    }

    @Test
    void aMisspeltKeywordStopsTheConfigAsItStopsSshInsteadOfReachingTheAliasItself() throws IOException {
        write(ssh.resolve("config"), "Host db\n  HostNmae 10.0.0.5\n");
        IOException e = assertThrows(IOException.class, this::standard);
        assertEquals(ssh.resolve("config") + ":2: unknown keyword 'HostNmae' (did you mean 'hostname'?); ssh stops on it too"
                + " ('Bad configuration option'): correct it, or name it in IgnoreUnknown", e.getMessage());
        write(ssh.resolve("config"), "IgnoreUnknown UseKeychain,AddKeysToAgnt\nHost *\n  UseKeychain yes\n  IdentityFile2 /keys/old\n");
        assertEquals(List.of("/keys/old"), resolve("h").get("identityfile"), "IdentityFile2 is ssh's old name for IdentityFile");
    }
}
