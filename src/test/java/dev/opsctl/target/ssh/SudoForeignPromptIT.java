package dev.opsctl.target.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.source.Secret;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A host whose sudo asks with a prompt of its own, not opsctl's (a PAM stack asking for a one-time
 * code ignores {@code sudo -p}). The host's sudo is a stand-in put first on the login's PATH by
 * sshd's SetEnv: it prints the foreign prompt and reports what it read. opsctl must neither hang
 * nor hand the command's input over as the code.
 */
@Timeout(60)
class SudoForeignPromptIT {
    private static final Path BIN = fakeSudo();

    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.19").withConfig("SetEnv PATH=" + BIN + ":/usr/bin:/bin");

    private static Duration saved;

    private static Path fakeSudo() {
        try {
            Path bin = Files.createTempDirectory("opsctl-fake-sudo", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
            Path sudo = bin.resolve("sudo");
            Files.writeString(sudo, """
                    #!/bin/sh
                    printf 'Verification code: ' >&2
                    if IFS= read -r code; then echo "sudo: code '$code' is wrong" >&2; exit 1; fi
                    echo "sudo: no code was provided" >&2
                    exit 1
                    """, UTF_8);
            Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
            return bin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void shortStartWait() {
        saved = CommandStdin.startWait;
        CommandStdin.startWait = Duration.ofSeconds(2);
    }

    @AfterAll
    static void restore() throws IOException {
        CommandStdin.startWait = saved;
        dev.opsctl.testsupport.TestDirs.delete(BIN);
    }

    @Test
    void theCommandsInputIsNeverSentAsTheCodeAndTheWaitEnds() throws Exception {
        try (SshTarget t = SSHD.target()) {
            long start = System.nanoTime();
            TargetException e = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("cat")
                    .withSudo(Sudo.withPassword(new Secret("pw-not-a-code"))).withStdin("the-input\n".getBytes(UTF_8))));
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(e.notStarted() && e.getMessage().startsWith("sudo on host '"), e.getMessage());
            TargetException.OutputSoFar r = e.outputSoFar();
            assertTrue(r.stderr().contains("Verification code: sudo: no code was provided"), r.stderr());
            assertFalse(r.stderr().contains("the-input") || r.stderr().contains("pw-not-a-code"), r.stderr());
            assertTrue(seconds >= 2 && seconds < 10, "EOF after the start wait, not before and not never: " + seconds + " s");
        }
    }

    @Test
    void withoutInputThePasswordIsNotSentToAPromptThatIsNotSudos() throws Exception {
        try (SshTarget t = SSHD.target()) {
            TargetException e = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("true")
                    .withSudo(Sudo.withPassword(new Secret("pw-not-a-code")))));
            assertTrue(e.notStarted() && e.getMessage().startsWith("sudo on host '"), e.getMessage());
            TargetException.OutputSoFar r = e.outputSoFar();
            assertTrue(r.stderr().contains("Verification code: sudo: no code was provided"), r.stderr());
            assertFalse(r.stderr().contains("pw-not-a-code"), r.stderr());
        }
    }
}
