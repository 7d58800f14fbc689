package dev.opsctl.target.ssh;

import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.Connection;
import net.schmizz.sshj.connection.channel.direct.AbstractDirectChannel;

/**
 * OpenSSH's {@code direct-streamlocal@openssh.com} channel (a connection to a unix socket on the
 * server, like {@code ssh -L local:/remote.sock}), which sshj does not have: a direct channel whose
 * open request carries the socket path and two reserved fields.
 */
final class StreamLocalChannel extends AbstractDirectChannel {
    static final String TYPE = "direct-streamlocal@openssh.com";

    private final String socketPath;

    StreamLocalChannel(Connection conn, String socketPath) {
        super(conn, TYPE);
        this.socketPath = socketPath;
    }

    @Override
    protected SSHPacket buildOpenReq() {
        return super.buildOpenReq().putString(socketPath).putString("").putUInt32(0);
    }
}
