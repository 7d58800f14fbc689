package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files decoded as an operator answers: the formats ssh-keygen writes, with ssh-keygen's own files. */
class IdentityKeysTest {
    @TempDir
    Path dir;

    private Path key(String name, String... keygen) throws Exception {
        Path key = dir.resolve(name);
        String[] cmd = new String[keygen.length + 4];
        System.arraycopy(new String[] {"ssh-keygen", "-q", "-f", key.toString()}, 0, cmd, 0, 4);
        System.arraycopy(keygen, 0, cmd, 4, keygen.length);
        OpenSshServer.run(cmd);
        return key;
    }

    @Test
    void aMistypedPassphraseIsAskedAgainInEveryFormat() throws Exception {
        // an ECDSA key file needs BouncyCastle's KeyFactory, which a connection registers once the JDK's could not read
        // a key; without it this test depended on another test of its JVM having connected with one first
        SshConnector.enableBouncyCastle();
        Path pemAlone = key("pem-alone", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "right one");
        Files.delete(Path.of(pemAlone + ".pub")); // read as PEM, not through the .pub (sshj picks its decoder by it)
        Path opensshAlone = key("openssh-alone", "-t", "ed25519", "-N", "right one");
        Files.delete(Path.of(opensshAlone + ".pub"));
        List<Path> keys = List.of(
                key("openssh", "-t", "ed25519", "-N", "right one"),
                opensshAlone,
                key("pem", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "right one"),
                pemAlone,
                key("pkcs8", "-t", "ecdsa", "-m", "PKCS8", "-N", "right one"));
        for (Path key : keys) {
            assertTrue(KeyFileHeaders.encrypted(key), key.toString());
            TypingOperator typo = new TypingOperator(Duration.ZERO, "right oen", "right one");
            IdentityKeys.Memo m = IdentityKeys.load(new SSHClient(new DefaultConfig()), key, typo);
            assertTrue(m.wouldAsk(), key.toString());
            m.getPublic();
            m.getPrivate();
            assertFalse(m.wouldAsk(), key.toString());
            assertEquals(2, typo.asked().get(), key.toString());
        }
    }

    @Test
    void theOperatorsLastAnswerStandsForTheProcess() throws Exception {
        Path key = key("given-up", "-t", "ed25519", "-N", "right one");
        TypingOperator wrong = new TypingOperator(Duration.ZERO, "a", "b", "c");
        IdentityKeys.Memo m = IdentityKeys.load(new SSHClient(new DefaultConfig()), key, wrong);
        IdentityKeys.Unusable e = assertThrows(IdentityKeys.WrongPassphrase.class, m::getPrivate);
        assertTrue(e.why().startsWith("encrypted: the passphrase is wrong"), e.why());
        assertThrows(IdentityKeys.WrongPassphrase.class, m::getPrivate);
        assertEquals(3, wrong.asked().get(), "not asked again by the next host");
        assertFalse(m.wouldAsk(), "a key given up on never waits for an answer");

        Path other = key("enter", "-t", "ed25519", "-N", "right one");
        TypingOperator enter = new TypingOperator(Duration.ZERO, "");
        IdentityKeys.Memo n = IdentityKeys.load(new SSHClient(new DefaultConfig()), other, enter);
        assertThrows(IdentityKeys.NoPassphrase.class, n::getPrivate, "an empty answer, not a NullPointerException in sshj");
        assertThrows(IdentityKeys.NoPassphrase.class, n::getPrivate);
        assertEquals(1, enter.asked().get());
    }

    @Test
    void aKeyWithoutPassphraseIsNeverAskedForAndAMalformedOneIsAnIoError() throws Exception {
        Path plain = key("plain", "-t", "ed25519", "-N", "");
        TypingOperator nobody = new TypingOperator(Duration.ZERO, "unused");
        IdentityKeys.Memo m = IdentityKeys.load(new SSHClient(new DefaultConfig()), plain, nobody);
        assertFalse(m.wouldAsk());
        m.getPrivate();
        assertEquals(0, nobody.asked().get());

        Path broken = dir.resolve("broken");
        Files.writeString(broken, "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(broken, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        IdentityKeys.Memo b = IdentityKeys.load(new SSHClient(new DefaultConfig()), broken, nobody);
        assertThrows(java.io.IOException.class, b::getPrivate);
        assertEquals(0, nobody.asked().get());
    }

    @Test
    void aKeyFileOfOursThatOthersMayReadIsRefusedAsSshRefusesIt() throws Exception {
        Path key = key("open", "-t", "ed25519", "-N", "");
        for (String mode : List.of("rw-r--r--", "rw-r-----", "rw----r--", "rw--w----")) {
            Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
            IdentityKeys.TooOpen e = assertThrows(IdentityKeys.TooOpen.class,
                    () -> IdentityKeys.load(new SSHClient(new DefaultConfig()), key, PasswordSupplier.NONE), mode);
            assertEquals("permissions 0" + Integer.toOctalString(modeBits(mode)) + " are too open; chmod 600 " + key, e.why());
        }
        // the fix is a command to paste: a name with a space is quoted
        Path spaced = key("my key", "-t", "ed25519", "-N", "");
        Files.setPosixFilePermissions(spaced, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        IdentityKeys.TooOpen e = assertThrows(IdentityKeys.TooOpen.class,
                () -> IdentityKeys.load(new SSHClient(new DefaultConfig()), spaced, PasswordSupplier.NONE));
        assertEquals("permissions 0644 are too open; chmod 600 '" + spaced + "'", e.why());
        for (String mode : List.of("rw-------", "r--------", "rwx------")) {
            Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
            IdentityKeys.load(new SSHClient(new DefaultConfig()), key, PasswordSupplier.NONE).getPrivate();
        }
    }

    private static int modeBits(String mode) {
        int bits = 0;
        for (char c : mode.toCharArray()) {
            bits = bits << 1 | (c == '-' ? 0 : 1);
        }
        return bits;
    }

    @Test
    void aDecoderThatThrowsUncheckedIsAKeyThatCannotSignAndIsReadAgain() throws Exception {
        java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
        net.schmizz.sshj.userauth.keyprovider.KeyProvider unsupported = new net.schmizz.sshj.userauth.keyprovider.KeyProvider() {
            @Override
            public java.security.PrivateKey getPrivate() {
                throw new IllegalStateException("unsupported cipher: 3des-cbc");
            }

            @Override
            public java.security.PublicKey getPublic() {
                throw new IllegalStateException("unsupported cipher: 3des-cbc");
            }

            @Override
            public net.schmizz.sshj.common.KeyType getType() {
                throw new IllegalStateException("unsupported cipher: 3des-cbc");
            }
        };
        IdentityKeys.Memo m = new IdentityKeys.Memo(dir.resolve("odd"), true, null, new TypingOperator(Duration.ZERO, "x"),
                new java.util.concurrent.atomic.AtomicBoolean(), () -> {
                    loads.incrementAndGet();
                    return unsupported;
                });
        java.io.IOException e = assertThrows(java.io.IOException.class, m::getPrivate);
        assertEquals("unsupported cipher: 3des-cbc", e.getMessage());
        assertFalse(e instanceof IdentityKeys.WrongPassphrase, "not a passphrase the operator typed wrong");
        assertEquals(2, loads.get(), "the failed decoder is replaced by a fresh one");
    }
}
