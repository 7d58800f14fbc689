package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileHeadersTest {
    @TempDir
    Path dir;

    private Path keygen(String name, String passphrase, String... more) throws Exception {
        Path key = dir.resolve(name);
        String[] cmd = new String[8 + more.length];
        System.arraycopy(new String[] {"ssh-keygen", "-q", "-N", passphrase, "-f", key.toString(), "-C", "test"}, 0, cmd, 0, 8);
        System.arraycopy(more, 0, cmd, 8, more.length);
        OpenSshServer.run(cmd);
        return key;
    }

    private static byte[] blob(PublicKey k) {
        return new Buffer.PlainBuffer().putPublicKey(k).getCompactData();
    }

    /** The key in a .pub file: type, base64 blob, comment. */
    private static byte[] pubFileBlob(Path pub) throws Exception {
        return java.util.Base64.getDecoder().decode(Files.readString(pub).split(" ")[1].strip());
    }

    @Test
    void anEncryptedOpenSshKeyShowsItsPublicKeyInClearWhateverIsBesideIt() throws Exception {
        Path key = keygen("id_ed25519", "pass phrase", "-t", "ed25519");
        byte[] expected = pubFileBlob(Path.of(key + ".pub"));
        assertTrue(KeyFileHeaders.encrypted(key));
        assertArrayEquals(expected, blob(KeyFileHeaders.clearPublicKey(key).orElseThrow()));
        Files.delete(Path.of(key + ".pub"));
        assertArrayEquals(expected, blob(KeyFileHeaders.clearPublicKey(key).orElseThrow()));
        Files.writeString(Path.of(key + "-cert.pub"), "a certificate is offered with the key, not instead of it\n");
        assertArrayEquals(expected, blob(KeyFileHeaders.clearPublicKey(key).orElseThrow()));
    }

    @Test
    void unencryptedAndUnreadableFilesAreNotEncrypted() throws Exception {
        assertFalse(KeyFileHeaders.encrypted(keygen("plain", "", "-t", "ed25519")));
        assertFalse(KeyFileHeaders.encrypted(dir.resolve("missing")));
        Path junk = Files.writeString(dir.resolve("junk"), "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
        assertFalse(KeyFileHeaders.encrypted(junk));
        assertEquals(Optional.empty(), KeyFileHeaders.clearPublicKey(junk));
    }

    @Test
    void aByteOutsideAsciiDoesNotHideTheHeader() throws Exception {
        Path pem = keygen("pem", "pass phrase", "-t", "rsa", "-b", "2048", "-m", "PEM");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = Files.readAllBytes(pem);
        byte[] both = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, both, 0, bom.length);
        System.arraycopy(text, 0, both, bom.length, text.length);
        Files.write(pem, both);
        assertTrue(KeyFileHeaders.encrypted(pem), new String(both, StandardCharsets.ISO_8859_1).substring(0, 40));
    }
}
