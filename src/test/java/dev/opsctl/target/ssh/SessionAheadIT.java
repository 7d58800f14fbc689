package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sessions opened ahead for a host's next command, against real sshd with its MaxSessions. */
class SessionAheadIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.21");
    @RegisterExtension
    static final OpenSshServer ONE_SESSION = new OpenSshServer("127.0.1.22").withConfig("MaxSessions 1");

    @Test
    void fromTheThirdCommandOnEachRunsOnASessionOpenedWhileThePreviousRan() throws Exception {
        try (SshTarget t = SSHD.target()) {
            for (int i = 1; i <= 6; i++) {
                ExecResult r = t.exec(ExecRequest.of("echo " + i));
                assertEquals(i + "\n", r.stdout());
            }
            assertEquals(4, t.sessionsTakenAhead(), "the first command opens none (a fan-out's one command), the second opens one");
        }
    }

    @Test
    void aHostAllowingOneSessionGetsNoneAheadAndEveryCommandStillRuns() throws Exception {
        try (SshTarget t = ONE_SESSION.target()) {
            for (int i = 1; i <= 5; i++) {
                long start = System.nanoTime();
                ExecResult r = t.exec(ExecRequest.of("echo " + i));
                assertEquals(i + "\n", r.stdout());
                assertTrue(System.nanoTime() - start < 3_000_000_000L, "no wait behind a refused open");
            }
            assertEquals(0, t.sessionsTakenAhead());
        }
    }

    @Test
    void fileTransfersTakeTheSessionOpenedAheadSoAHostAllowingOneSessionStillGetsThem() throws Exception {
        for (OpenSshServer host : new OpenSshServer[] {SSHD, ONE_SESSION}) {
            try (SshTarget t = host.target()) {
                String dir = t.exec(ExecRequest.of("mktemp -d")).stdout().strip();
                for (int i = 1; i <= 4; i++) {
                    t.exec(ExecRequest.of("true"));
                    byte[] content = ("file " + i + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    t.put(dir + "/f" + i, content, dev.opsctl.target.FileAttrs.mode(0600));
                    assertEquals("file " + i + "\n", t.exec(ExecRequest.of("cat " + dir + "/f" + i)).stdout(), host.address());
                }
                t.exec(ExecRequest.of("rm -rf " + dir));
                if (host == SSHD) {
                    // 14 calls: the first opens none ahead, the second opens one, every later one takes one;
                    // transfers too (8 if they took none: the command after each would find none)
                    assertEquals(12, t.sessionsTakenAhead(), "execs and transfers alike");
                }
            }
        }
    }

    @Test
    void aSessionOpenedAheadOnAConnectionThatBrokeIsDroppedAndTheNextCommandReconnects() throws Exception {
        try (SshTarget t = SSHD.target()) {
            t.exec(ExecRequest.of("true"));
            t.exec(ExecRequest.of("true")); // opens one ahead
            SSHD.dropSessions();
            ExecResult r = null;
            for (int attempt = 0; attempt < 2 && (r == null || !r.ok()); attempt++) {
                try {
                    r = t.exec(ExecRequest.of("echo again"));
                } catch (dev.opsctl.target.TargetException e) {
                    // the command that meets the broken connection fails (CONNECTION_LOST); the next one reconnects
                }
            }
            assertEquals("again\n", r.stdout());
        }
    }
}
