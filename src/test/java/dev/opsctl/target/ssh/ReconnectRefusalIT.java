package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sshd restarted under opsctl with something a new attempt will not mend: a host opsctl was
 * connected to is tried again only while it refuses the connection itself ({@link Reconnection}).
 * A changed host key or a refused login fails closed at once; a host that stayed away for a whole
 * window is tried once by the calls after, until it is back.
 */
class ReconnectRefusalIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.200");

    @Test
    void aHostWhoseKeyChangedWhileSshdRestartedFailsAtOnceAsAHostKeyFailure() throws Exception {
        Path key = SSHD.dir().resolve("host_key");
        Path saved = SSHD.dir().resolve("host_key.saved");
        try (SshTarget t = SSHD.target()) {
            assertEquals("one\n", t.exec(ExecRequest.of("echo one")).stdout());
            SSHD.killSshdLeavingCommands();
            Files.move(key, saved, StandardCopyOption.REPLACE_EXISTING);
            Files.move(SSHD.dir().resolve("host_key.pub"), SSHD.dir().resolve("host_key.pub.saved"), StandardCopyOption.REPLACE_EXISTING);
            assertEquals(0, new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).start().waitFor());
            SSHD.start();
            long t0 = System.nanoTime();
            TargetException e = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("echo two")));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertEquals(TargetException.Kind.HOST_KEY, e.kind(), e.getMessage());
            assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "not tried again: " + took + " " + e.getMessage());
        } finally {
            SSHD.stop();
            Files.move(saved, key, StandardCopyOption.REPLACE_EXISTING);
            Files.move(SSHD.dir().resolve("host_key.pub.saved"), SSHD.dir().resolve("host_key.pub"), StandardCopyOption.REPLACE_EXISTING);
            SSHD.start();
        }
    }

    @Test
    void aLoginRefusedAfterSshdRestartedFailsAtOnce() throws Exception {
        Path keys = SSHD.dir().resolve("authorized_keys");
        Path saved = SSHD.dir().resolve("authorized_keys.saved");
        try (SshTarget t = SSHD.target()) {
            assertEquals("one\n", t.exec(ExecRequest.of("echo one")).stdout());
            SSHD.killSshdLeavingCommands();
            Files.move(keys, saved, StandardCopyOption.REPLACE_EXISTING);
            SSHD.start();
            long t0 = System.nanoTime();
            TargetException e = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("echo two")));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertEquals(TargetException.Kind.AUTH_FAILED, e.kind(), e.getMessage());
            assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "not tried again: " + took + " " + e.getMessage());
        } finally {
            Files.move(saved, keys, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Before, every call on a host whose sshd was gone waited the whole window again: three calls, ~29 s. */
    @Test
    void aHostGoneForAWholeWindowIsTriedOnceByTheNextCallsUntilItIsBack() throws Exception {
        boolean back = false;
        try (SshTarget t = SSHD.target()) {
            assertEquals("one\n", t.exec(ExecRequest.of("echo one")).stdout());
            SSHD.killSshdLeavingCommands();
            long t0 = System.nanoTime();
            TargetException first = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("echo two")));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(took.compareTo(Reconnection.WINDOW.minusSeconds(2)) >= 0, "tried for the window: " + took);
            assertTrue(first.getMessage().matches(".*; \\d+ attempts in \\d+s"), first.getMessage());
            for (int i = 0; i < 2; i++) {
                long t1 = System.nanoTime();
                TargetException next = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("echo two")));
                Duration then = Duration.ofNanos(System.nanoTime() - t1);
                assertEquals(TargetException.Kind.UNREACHABLE, next.kind(), next.getMessage());
                assertTrue(next.getMessage().endsWith("; 1 attempt (it stayed away for 10s before)"), next.getMessage());
                assertTrue(then.compareTo(Duration.ofSeconds(2)) < 0, "tried once: " + then);
            }
            SSHD.start();
            back = true;
            assertEquals("three\n", t.exec(ExecRequest.of("echo three")).stdout(), "back: connected again");
        } finally {
            if (!back) {
                SSHD.start();
            }
        }
    }
}
