package dev.opsctl.target.ssh;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.Service;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthMethod;

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

    /**
     * {@link SSHClient#auth(String, Iterable)}, with this service taking over once authenticated. An
     * identity file the server accepted but whose passphrase was not asked yet is asked for here, on
     * the connecting thread, and tried again ({@link KeyFileAuth}).
     */
    static void auth(SSHClient client, String user, Iterable<AuthMethod> methods) throws UserAuthException, TransportException {
        AckingConnection next = new AckingConnection(client);
        UserAuthException last = null;
        for (AuthMethod method : methods) {
            method.setLoggerFactory(client.getTransport().getConfig().getLoggerFactory());
            try {
                if (attempt(client, user, next, method)) {
                    return;
                }
            } catch (UserAuthException e) {
                last = e;
                if (method instanceof KeyFileAuth key && key.decodedAfterFailure()) {
                    try {
                        if (attempt(client, user, next, method)) {
                            return;
                        }
                    } catch (UserAuthException | TransportException again) {
                        // the transport may still count as running while it dies: its error says so first
                        if (again instanceof TransportException || again.getCause() instanceof TransportException
                                || !client.getTransport().isRunning()) {
                            throw new ClosedWhileAsked(again);
                        }
                        last = again instanceof UserAuthException u ? u : new UserAuthException(again);
                    }
                }
            }
        }
        throw new UserAuthException("Exhausted available authentication methods", last);
    }

    /**
     * The server closed the connection while its key's passphrase was asked, most likely because its
     * LoginGraceTime (120 s by default) ran out while the operator typed. The key is decoded by now.
     */
    static final class ClosedWhileAsked extends TransportException {
        ClosedWhileAsked(Exception cause) {
            super("the host closed the connection while the key's passphrase was asked (its LoginGraceTime may have run out)", cause);
        }
    }

    private static boolean attempt(SSHClient client, String user, AckingConnection next, AuthMethod method)
            throws UserAuthException, TransportException {
        return client.getUserAuth().authenticate(user, next, method, client.getTransport().getTimeoutMs());
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
