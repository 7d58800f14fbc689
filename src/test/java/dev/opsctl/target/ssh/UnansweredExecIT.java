package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An exec request that a silent connection did not answer: its sshd may have it, or get it once the
 * silence ends (a partition heals, a frozen process or VM resumes), and run it then. Sent again on a
 * new connection, the command would run twice.
 */
class UnansweredExecIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.100", "DEBUG1"); // logs each channel it opens

    @AfterEach
    void end() {
        SSHD.killConnectionProcesses(); // the frozen ones too
    }

    /**
     * No pause, so no probe: the exec request goes to the session opened ahead, on a connection gone
     * silent. Under sudo the process-group line comes from a subshell: when the resumed sshd has
     * already closed the channel, SIGPIPE ends that subshell, not the command after it.
     */
    @Test
    void aCommandWhoseExecRequestGotNoAnswerIsNotSentAgainSinceTheHostMayStillRunIt() throws Exception {
        Path log = Path.of("/tmp", "opsctl-unanswered-" + System.nanoTime() + ".log");
        try (SshTarget t = new SshTarget(SSHD.settingsWithServerAlive(Duration.ofSeconds(1)), SSHD.dir())) {
            t.exec(ExecRequest.of("echo one"));
            t.exec(ExecRequest.of("echo two")); // opens the next one's session ahead
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (SSHD.log().split("server_input_channel_open: confirm session", -1).length - 1 < 3 && System.nanoTime() < until) {
                Thread.sleep(5); // until it is open: its exec request, not its open, is what goes unanswered
            }
            SSHD.freezeConnectionProcesses();
            Object outcome;
            try {
                outcome = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> t.exec(ExecRequest.of("echo ran >> " + log).withSudo(Sudo.ROOT)));
            } catch (Throwable e) { // TargetException, thrown through assertTimeoutPreemptively
                outcome = e;
            }
            SSHD.thawConnectionProcesses();
            until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!(Files.exists(log) && Files.readString(log).contains("ran")) && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            Thread.sleep(1500); // a second run, if any, comes within milliseconds of the first
            String ran = Files.exists(log) ? Files.readString(log) : "";
            assertTrue(ran.equals("ran\n") || ran.isEmpty(), "run at most once (by the connection that resumed): " + ran + outcome);
            TargetException e = assertInstanceOf(TargetException.class, outcome);
            assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
            assertEquals(TargetException.LostCommand.MAY_STILL_RUN, e.lostCommand(), e.getMessage());
            assertTrue(e.getMessage().startsWith("host '127.0.1.100': the ssh connection to '127.0.1.100:" + SSHD.port()
                    + "' did not answer the request to start running 'echo ran >> " + log + "' ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("); opsctl did not send it again: the host may still run it if that connection comes"
                    + " back"), e.getMessage());
            assertEquals("ok\n", t.exec(ExecRequest.of("echo ok")).stdout(), "the target goes on, on a new connection");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
