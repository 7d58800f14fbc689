package dev.opsctl.target.ssh;

import java.util.ArrayDeque;
import java.util.Queue;
import net.schmizz.concurrent.Promise;
import net.schmizz.keepalive.KeepAlive;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.ConnectionImpl;
import net.schmizz.sshj.transport.TransportException;

/**
 * OpenSSH's ServerAliveInterval with ServerAliveCountMax 3: every interval a
 * {@code keepalive@openssh.com} request the server must answer, and after {@value #COUNT_MAX}
 * left unanswered in a row the connection is declared dead, so a command on a host that went away
 * (a partition, a frozen VM) fails instead of waiting for its timeout, or for ever. sshj's own runner
 * sends only while its ConnectionImpl is the transport's service, which {@link AckingConnection}
 * replaces: with it, nothing was ever sent.
 */
final class ServerAlive extends KeepAlive {
    static final int COUNT_MAX = 3;
    static final KeepAliveProvider PROVIDER = new KeepAliveProvider() {
        @Override
        public KeepAlive provide(ConnectionImpl connection) {
            return new ServerAlive(connection);
        }
    };

    private final Queue<Promise<SSHPacket, ConnectionException>> unanswered = new ArrayDeque<>();

    private ServerAlive(ConnectionImpl conn) {
        super(conn, "opsctl-server-alive");
    }

    @Override
    protected void doKeepAlive() throws TransportException, ConnectionException {
        if (!conn.getTransport().isAuthenticated()) {
            return;
        }
        // any answer, a refusal included, is a live server; answers come back in order
        while (!unanswered.isEmpty() && unanswered.peek().isFulfilled()) {
            unanswered.remove();
        }
        if (unanswered.size() >= COUNT_MAX) {
            throw new ConnectionException(DisconnectReason.CONNECTION_LOST, "server not responding: " + COUNT_MAX
                    + " keepalives at " + getKeepAliveInterval() + " s intervals went unanswered (ServerAliveInterval)");
        }
        unanswered.add(conn.sendGlobalRequest("keepalive@openssh.com", true, new byte[0]));
    }
}
