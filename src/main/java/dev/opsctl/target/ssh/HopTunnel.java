package dev.opsctl.target.ssh;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.Connection;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.transport.TransportException;

/**
 * The channel through a jump host to the next hop, whose open waits no longer than that hop's connect
 * time: sshj waits its own 30 s for the jump host's answer, which for a hop that does not answer comes
 * only when the jump host's connect gives up (TCP's, about two minutes), whatever ConnectTimeout or the
 * call's time said. A channel given up stays known to the jump host's connection, which other hosts
 * share: forgotten, a late answer would end that whole connection ("unknown channel"); so a late
 * confirmation is answered with a close instead.
 */
final class HopTunnel extends DirectConnection {
    private volatile boolean givenUp;

    HopTunnel(Connection conn, String hostName, int port) {
        super(conn, hostName, port);
    }

    /** Opens the channel, waiting {@code within} at most for the jump host's answer. */
    void open(Duration within) throws ConnectionException, TransportException, HandshakeTimeout {
        trans.write(buildOpenReq());
        try {
            openEvent.await(Math.max(1, within.toMillis()), TimeUnit.MILLISECONDS);
        } catch (ConnectionException e) {
            if (!(e.getCause() instanceof TimeoutException)) {
                throw e;
            }
            givenUp = true;
            if (isOpen()) {
                sendClose(); // confirmed just now: no answer will come to close it later
            }
            throw new HandshakeTimeout(within);
        }
    }

    @Override
    protected void gotUnknown(Message cmd, SSHPacket buf) throws ConnectionException, TransportException {
        super.gotUnknown(cmd, buf);
        if (givenUp && cmd == Message.CHANNEL_OPEN_CONFIRMATION) {
            sendClose();
        }
    }
}
