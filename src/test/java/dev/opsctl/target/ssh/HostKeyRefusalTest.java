package dev.opsctl.target.ssh;

import static dev.opsctl.target.ssh.TestHostKeys.KEY_A;
import static dev.opsctl.target.ssh.TestHostKeys.KEY_B;
import static dev.opsctl.target.ssh.TestHostKeys.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fix commands host key refusals suggest: shell words that do what they say when pasted. */
class HostKeyRefusalTest {
    @TempDir
    Path tmp;

    private static String refused(KnownHostsVerifier v, String host, int port, PublicKey key) {
        assertFalse(v.verify(host, port, key), "refused");
        return v.rejection().orElseThrow();
    }

    /** The command a message ends with, after {@code with: }. */
    private static String command(String message) {
        assertTrue(message.contains("with: "), message);
        return message.substring(message.lastIndexOf("with: ") + 6);
    }

    /** Runs {@code command} with sh, an ssh-keyscan on the PATH that prints {@code scanned}, in {@code tmp}. */
    private String run(String command, String scanned) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path keyscan = Files.writeString(bin.resolve("ssh-keyscan"), "#!/bin/sh\nprintf '%s\\n' '" + scanned + "'\n");
        Files.setPosixFilePermissions(keyscan, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("HOME", tmp.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), command + ": " + out);
        return out;
    }

    @Test
    void theCommandRemovingAChangedKeyQuotesTheBracketedNameAndTheFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("my kh"), "[127.0.2.1]:2222 ssh-ed25519 " + KEY_B + "\n");
        String why = refused(new KnownHostsVerifier(HostKeys.userFilesOnly(List.of(file), false), tmp), "127.0.2.1", 2222, key(KEY_A));
        assertEquals("ssh-keygen -f ~/'my kh' -R '[127.0.2.1]:2222'", command(why), "under the home directory: ~");
        run(command(why), "");
        assertEquals("", Files.readString(file), "the command removed the line");
    }

    @Test
    void theKeyscanCommandForAHostKeyAliasWritesTheAliasIntoAFileWithASpace() throws Exception {
        Path file = tmp.resolve("my kh");
        HostKeys keys = new HostKeys(List.of(file), List.of(), Optional.of("it's/a.b"), false, false);
        String why = refused(new KnownHostsVerifier(keys, Path.of("/nonexistent")), "127.0.2.1", 2222, key(KEY_A));
        assertTrue(why.contains("add it with --accept-new-host-keys or with: ssh-keyscan -p 2222 127.0.2.1 | sed"), why);
        run(command(why), "[127.0.2.1]:2222 ssh-ed25519 " + KEY_A);
        assertEquals("it's/a.b ssh-ed25519 " + KEY_A + "\n", Files.readString(file));
        assertTrue(new KnownHostsVerifier(keys, tmp).verify("127.0.2.1", 2222, key(KEY_A)), "the line names the alias");
    }

    @Test
    void withHashKnownHostsTheKeyscanCommandHashes() throws Exception {
        String why = refused(new KnownHostsVerifier(new HostKeys(List.of(tmp.resolve("kh")), List.of(), Optional.empty(), false, true), tmp),
                "web1", 22, key(KEY_A));
        assertEquals("ssh-keyscan -H web1 >> ~/kh", command(why));
    }

    @Test
    void theFilesReadAreListedAsPaths() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        String why = refused(new KnownHostsVerifier(new HostKeys(List.of(), List.of(a, b), Optional.empty(), true, false), tmp),
                "web1", 22, key(KEY_A));
        assertTrue(why.contains("so only " + a + ", " + b + " are read"), why);
    }

    @Test
    void aHostBehindAJumpHostIsScannedThroughItOrAcceptedNew() throws Exception {
        KnownHostsVerifier v = new KnownHostsVerifier(HostKeys.userFilesOnly(List.of(tmp.resolve("kh")), false), tmp, Optional.of("bastion"));
        String why = refused(v, "10.0.0.5", 2222, key(KEY_A));
        assertTrue(why.contains("add it with --accept-new-host-keys or, through the jump host 'bastion', with: ssh bastion"
                + " 'ssh-keyscan -p 2222 10.0.0.5' >> ~/kh"), why);
    }

    @Test
    void aChangedKeyOfAnotherTypeSaysTheHostDidNotOfferTheListedType() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PublicKey rsa = g.generateKeyPair().getPublic();
        Path file = Files.writeString(tmp.resolve("kh"), "web1 ssh-rsa " + Base64.getEncoder().encodeToString(KnownHostsVerifier.blob(rsa)) + "\n");
        String why = refused(new KnownHostsVerifier(HostKeys.userFilesOnly(List.of(file), true), tmp), "web1", 22, key(KEY_A));
        assertTrue(why.contains(" but the host offered ED25519 SHA256:"), why);
        assertTrue(why.contains(", and no RSA key;"), why);
    }
}
