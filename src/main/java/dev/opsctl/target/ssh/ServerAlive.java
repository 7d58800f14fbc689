package dev.opsctl.target.ssh;

import java.util.ArrayDeque;
import java.util.Queue;
import net.schmizz.concurrent.Promise;
import net.schmizz.keepalive.KeepAlive;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.Connection;
import net.schmizz.sshj.connection.ConnectionImpl;
import net.schmizz.sshj.transport.TransportException;

/**
 * OpenSSH's ServerAliveInterval and ServerAliveCountMax: every interval a
 * {@code keepalive@openssh.com} request the server must answer, and when {@link #countMax} are left
 * unanswered in a row (at the next interval) the connection is declared dead, so a command on a host
 * that went away (a partition, a frozen VM) fails instead of waiting for its timeout, or for ever:
 * after between count and count + 1 intervals of silence, as with ssh. A count of 0, with which ssh
 * drops any connection the server sends nothing on for one interval (an idle one, or one under a
 * command that prints nothing), counts as 1. sshj's own runner sends only while its ConnectionImpl is
 * the transport's service, which {@link AckingConnection} replaces: with it, nothing was ever sent.
 */
final class ServerAlive extends KeepAlive {
    static final KeepAliveProvider PROVIDER = new KeepAliveProvider() {
        @Override
        public KeepAlive provide(ConnectionImpl connection) {
            return new ServerAlive(connection);
        }
    };

    private final Queue<Promise<SSHPacket, ConnectionException>> unanswered = new ArrayDeque<>();
    private volatile int countMax = SshSettings.DEFAULT_SERVER_ALIVE_COUNT_MAX;

    private ServerAlive(ConnectionImpl conn) {
        super(conn, "opsctl-server-alive");
    }

    /** Sets ServerAliveCountMax for {@code connection}'s keepalives (before it connects). */
    static void countMax(Connection connection, int count) {
        if (connection.getKeepAlive() instanceof ServerAlive alive) {
            alive.countMax = Math.max(1, count);
        }
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
        int max = countMax;
        if (unanswered.size() >= max) {
            throw new ConnectionException(DisconnectReason.CONNECTION_LOST, "server not responding: " + (max == 1 ? "1 keepalive"
                    : max + " keepalives") + " at " + getKeepAliveInterval() + " s intervals went unanswered"
                    + " (ServerAliveInterval, ServerAliveCountMax)");
        }
        unanswered.add(conn.sendGlobalRequest("keepalive@openssh.com", true, new byte[0]));
    }
}
