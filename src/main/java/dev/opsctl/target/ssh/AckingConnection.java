package dev.opsctl.target.ssh;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.Service;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;

/**
 * The connection service, answering every global request from the server with an
 * {@code SSH_MSG_IGNORE} as well. OpenSSH's sshd sends {@code hostkeys-00@openssh.com} (no reply
 * wanted) right after {@code USERAUTH_SUCCESS}; Nagle holds it back until the success is
 * acknowledged, then holds the confirmation of the first channel open back until the host keys
 * are acknowledged, which the client's kernel delays by up to 40 ms, having nothing to send. The
 * ignore message carries that acknowledgement at once: the first command of every connection
 * starts ~40 ms earlier. Servers discard {@code SSH_MSG_IGNORE} (RFC 4253, section 11.2). It also
 * lets a channel's window catch up with an adjustment sent before data is counted ({@link WindowAdjustWait}).
 */
final class AckingConnection implements Service {
    private final SSHClient client;
    private final Service connection;

    private AckingConnection(SSHClient client) {
        this.client = client;
        this.connection = (Service) client.getConnection();
    }

    /** The service that takes over from user authentication ({@link PublickeyLogin}). */
    static AckingConnection of(SSHClient client) {
        return new AckingConnection(client);
    }

    @Override
    public void handle(Message msg, SSHPacket buf) throws SSHException {
        WindowAdjustWait.beforeData(client.getConnection(), msg, buf);
        connection.handle(msg, buf);
        if (msg == Message.GLOBAL_REQUEST) {
            client.getTransport().write(new SSHPacket(Message.IGNORE).putString(""));
        }
    }

    @Override
    public String getName() {
        return connection.getName();
    }

    @Override
    public void notifyUnimplemented(long seqNum) throws SSHException {
        connection.notifyUnimplemented(seqNum);
    }

    @Override
    public void request() throws TransportException {
        connection.request();
    }

    @Override
    public void notifyError(SSHException error) {
        connection.notifyError(error);
    }
}
