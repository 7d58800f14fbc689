package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertThrows;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import org.junit.jupiter.api.Test;

class ConnectedSessionTest {
    /**
     * sshj answers a session open on a transport it has seen close with an unchecked
     * IllegalStateException; a call that met it escaped every reconnect path (CI, SessionAheadIT).
     */
    @Test
    void aSessionOnAClosedTransportIsALostConnectionNotAnUncheckedError() throws Exception {
        try (SSHClient neverConnected = new SSHClient()) {
            SshConnector.Connected c = new SshConnector.Connected(neverConnected, null);
            assertThrows(ConnectionException.class, c::startSession);
        }
    }
}
