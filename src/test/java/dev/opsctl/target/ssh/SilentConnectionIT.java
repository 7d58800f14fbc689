package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A host's connection that died silently between two commands (a partition, a frozen sshd child)
 * while new connections still work: the next command runs on a new connection instead of failing
 * once keepalives give up, and says so.
 */
class SilentConnectionIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.97");

    @AfterEach
    void thaw() {
        SSHD.killConnectionProcesses();
    }

    /** The review's case: a 'wait: 3s' step between two shell steps, the connection frozen meanwhile. */
    @Test
    void aConnectionSilentAfterAnIdlePauseIsReplacedBeforeTheNextCommand() throws Exception {
        try (SshTarget t = new SshTarget(SSHD.settingsWithServerAlive(Duration.ofSeconds(2)), SSHD.dir())) {
            t.exec(ExecRequest.of("echo one"));
            t.exec(ExecRequest.of("echo two")); // opens the next one's session ahead
            long logins = SSHD.acceptedLogins();
            SSHD.freezeConnectionProcesses();
            Thread.sleep(3000);
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            long start = System.nanoTime();
            ExecResult r = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> t.exec(ExecRequest.of("echo three").withListener((stream, line) -> lines.add(line))));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals("three\n", r.stdout());
            assertEquals("", r.stderr(), "opsctl's notice is progress, not the command's output");
            assertTrue(seconds < 3.5, "one 2 s probe, then a new connection, not keepalives giving up: " + seconds + " s");
            assertEquals(logins + 1, SSHD.acceptedLogins());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("opsctl: the ssh connection to '127.0.1.97:" + SSHD.port()
                    + "' did not answer after ") && l.endsWith("; connected again")), lines.toString());
        }
    }

    @Test
    void commandsBackToBackAreNotDelayedByAProbe() throws Exception {
        try (SshTarget t = SSHD.target()) {
            t.exec(ExecRequest.of("true"));
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                t.exec(ExecRequest.of("true"));
            }
            double perCommand = (System.nanoTime() - start) / 1e9 / 20;
            assertTrue(perCommand < 0.5, perCommand + " s per command");
        }
    }

    /** The second command opens its own session (none ahead yet): the open gets no answer. */
    @Test
    void aCommandWhoseChannelOpenGotNoAnswerRunsOnANewConnection() throws Exception {
        try (SshTarget t = new SshTarget(SSHD.settingsWithServerAlive(Duration.ofSeconds(1)), SSHD.dir())) {
            t.exec(ExecRequest.of("echo one"));
            SSHD.freezeConnectionProcesses();
            ExecResult r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> t.exec(ExecRequest.of("echo two")));
            assertEquals("two\n", r.stdout());
        }
    }
}
