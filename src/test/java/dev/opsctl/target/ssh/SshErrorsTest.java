package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.transport.TransportException;
import org.junit.jupiter.api.Test;

class SshErrorsTest {
    private final SshSettings web1 = new SshSettings("web1", "127.0.1.8", 2222, "deploy", List.of(), false, Optional.empty(),
            List.of(), List.of(), false, Duration.ofSeconds(5), Duration.ofSeconds(30), PasswordSupplier.NONE);

    @Test
    void aBrokenTransportIsALostConnectionEvenBeforeTheClientNoticesItIsDown() {
        // what a channel's stream throws when sshd dies: the transport's death, wrapped by the connection layer
        IOException e = new ConnectionException("broken transport", new TransportException("Broken transport; encountered EOF"));
        TargetException t = SshErrors.during(web1, "running 'sleep 20'", e, true);
        assertEquals(TargetException.Kind.CONNECTION_LOST, t.kind());
        assertEquals("host 'web1': the ssh connection to '127.0.1.8:2222' broke while running 'sleep 20' (broken transport;"
                + " encountered EOF)", t.getMessage(), "what became of the command is the caller's to add");
    }

    @Test
    void aResetThatReachesACallBeforeTheTransportNoticedIsALostConnection() {
        // an SFTP write into a socket sshd's death reset: no TransportException in the chain yet
        IOException e = new IOException("write failed", new java.net.SocketException("Connection reset"));
        assertEquals(TargetException.Kind.CONNECTION_LOST, SshErrors.during(web1, "writing '/etc/x'", e, true).kind());
    }

    @Test
    void aCommandThatNeverStartedSaysItDidNotRun() {
        TargetException t = SshErrors.notStarted(web1, "running 'echo three'", new ConnectionException("timeout",
                new java.util.concurrent.TimeoutException("Timeout expired: 30000 MILLISECONDS")), true);
        // not a connection lost under a command (opsctl exec's LOST, a step's connection_lost): nothing ran
        assertEquals(TargetException.Kind.UNREACHABLE, t.kind());
        assertTrue(t.getMessage().startsWith("host 'web1' is unreachable: the ssh connection to '"), t.getMessage());
        assertTrue(t.getMessage().endsWith("did not answer the request to start running 'echo three' (timeout expired: 30000"
                + " MILLISECONDS), nor did a new one; it did not run"), t.getMessage());
    }

    @Test
    void aCommandWhoseChannelOpenAnInterruptCutShortSaysItDidNotRunWithoutClaimingASecondTry() {
        TargetException t = SshErrors.notStarted(web1, "running 'echo three'", new ConnectionException(new InterruptedException()),
                false);
        assertEquals(TargetException.Kind.UNREACHABLE, t.kind());
        assertTrue(t.getMessage().endsWith(" had not opened a channel for running 'echo three' when opsctl stopped waiting"
                + " (interrupted); it did not run"), t.getMessage());
    }

    @Test
    void whyAFailureHappenedLeavesOutTheHostItsMessageStartsWith() {
        assertEquals("connection refused by '127.0.1.8:2222' (is sshd running on port 2222?)", SshErrors.why(
                TargetException.unreachable("web1", "connection refused by '127.0.1.8:2222' (is sshd running on port 2222?)", null)));
        assertEquals("reading '/x' failed: eof", SshErrors.why(TargetException.remoteFailed("web1", "host 'web1': reading '/x' failed: eof")));
    }

    @Test
    void theSystemsConnectTimeoutIsNotReportedAsARefusal() {
        // what the JDK throws when the kernel gives up on a SYN (ConnectTimeout 0: opsctl set no limit)
        IOException timedOut = new IOException("connect failed", new java.net.ConnectException("Connection timed out"));
        TargetException t = SshErrors.connect(web1, web1, Optional.empty(), timedOut, Optional.empty(), List.of());
        assertEquals(TargetException.Kind.UNREACHABLE, t.kind());
        assertTrue(t.getMessage().contains("no answer from '127.0.1.8:2222' before the system's TCP connect timeout"), t.getMessage());
        TargetException refused = SshErrors.connect(web1, web1, Optional.empty(), new IOException("x", new java.net.ConnectException("Connection refused")),
                Optional.empty(), List.of());
        assertTrue(refused.getMessage().contains("connection refused by"), refused.getMessage());
    }

    @Test
    void aLoginClosedAtMaxAuthTriesNamesTheKeysOfferedAndThoseNotReached() {
        List<String> tried = List.of("agent key A", "agent key B", "'f' (not readable)", "agent key C");
        TargetException t = SshErrors.connect(web1, web1, Optional.empty(), new PublickeyLogin.Closed(2, 2,
                new TransportException(DisconnectReason.PROTOCOL_ERROR, "Too many authentication failures")), Optional.empty(), tried);
        assertEquals(TargetException.Kind.AUTH_FAILED, t.kind());
        assertEquals("host 'web1': user 'deploy' was refused by '127.0.1.8:2222': the server closed the login after 2 keys (its"
                + " MaxAuthTries), saying 'Too many authentication failures'; keys tried: agent key A, agent key B; not offered:"
                + " 'f' (not readable), agent key C; use IdentitiesOnly yes with the right IdentityFile, or fewer agent keys",
                t.getMessage());

        TargetException grace = SshErrors.connect(web1, web1, Optional.empty(), new PublickeyLogin.Closed(1, -1,
                new TransportException(DisconnectReason.BY_APPLICATION, "Timeout before authentication")), Optional.empty(),
                List.of("agent key A"));
        assertEquals("host 'web1': user 'deploy' was refused by '127.0.1.8:2222': the server closed the login after 1 key,"
                + " saying 'Timeout before authentication'; keys tried: agent key A", grace.getMessage());
    }

    @Test
    void aChannelErrorOnALiveConnectionIsARemoteFailure() {
        TargetException t = SshErrors.during(web1, "reading '/etc/x'", new ConnectionException("open failed"), true);
        assertEquals(TargetException.Kind.REMOTE_FAILED, t.kind());
    }
}
