package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.transport.TransportException;
import org.junit.jupiter.api.Test;

/** Which failed exec requests may still reach the host (not sent again) and which cannot (sent once more). */
class SshExecTest {
    @Test
    void aRequestNoAnswerCameForMayStillReachTheHost() {
        assertTrue(SshExec.silent(new ConnectionException(new TimeoutException("Timeout expired: 30000 MILLISECONDS"))));
        assertTrue(SshExec.silent(new ConnectionException(DisconnectReason.CONNECTION_LOST, "server not responding: 3 keepalives")));
    }

    /** Another call on the target let the connection go (its own call timed out): the request may be in the host's buffers. */
    @Test
    void aRequestCutOffByThisSideClosingTheConnectionMayStillReachTheHost() {
        assertTrue(SshExec.silent(new ConnectionException(new TransportException(DisconnectReason.BY_APPLICATION, "Disconnected"))));
    }

    @Test
    void aRequestOnAConnectionTheHostClosedOrResetCannotReachItAnyMore() {
        assertFalse(SshExec.silent(new ConnectionException(new TransportException("Broken transport; encountered EOF"))));
        assertFalse(SshExec.silent(new ConnectionException(new TransportException(new SocketException("Connection reset")))));
    }
}
