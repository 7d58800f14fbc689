package dev.opsctl.target.ssh;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthMethod;

/**
 * Logs in with publickey methods in turn ({@link OfferedKeys}), {@link AckingConnection} taking
 * over once authenticated. A key the server accepted is signed with here, on the connecting thread,
 * in a second attempt, where the method needs time: an identity file whose passphrase was not asked
 * yet, an agent that may ask its user to confirm ({@link SignsOnSecondAttempt}).
 */
final class PublickeyLogin {
    private PublickeyLogin() {}

    /**
     * The server closed the connection after refusing keys: sshd does so once a login has used up
     * its MaxAuthTries (6 by default), with "Too many authentication failures". An authentication
     * failure, not an unreachable host. {@link #offeredEntries()}: how many entries of the list of
     * keys tried were reached; the rest were never offered.
     */
    static final class Closed extends UserAuthException {
        private final int keys;
        private final int offeredEntries;
        private final Optional<String> serverSaid;

        Closed(int keys, int offeredEntries, Throwable cause) {
            super("the server closed the login after " + keys + " keys", cause);
            this.keys = keys;
            this.offeredEntries = offeredEntries;
            this.serverSaid = disconnectMessage(cause);
        }

        int keys() {
            return keys;
        }

        /** The number of entries of the keys-tried list up to the last key offered; -1 when all were. */
        int offeredEntries() {
            return offeredEntries;
        }

        /** The reason sshd gave with its disconnect, if it arrived before the socket closed. */
        Optional<String> serverSaid() {
            return serverSaid;
        }

        private static Optional<String> disconnectMessage(Throwable e) {
            for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
                if (t instanceof SSHException s && s.getDisconnectReason() != DisconnectReason.UNKNOWN && t.getMessage() != null) {
                    return Optional.of(t.getMessage());
                }
            }
            return Optional.empty();
        }
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

    /** {@link SSHClient#auth(String, Iterable)}, with {@link AckingConnection} as the service once authenticated. */
    static void run(SSHClient client, String user, List<AuthMethod> methods) throws UserAuthException, TransportException {
        AckingConnection next = AckingConnection.of(client);
        UserAuthException last = null;
        int refused = 0;
        for (int i = 0; i < methods.size(); i++) {
            AuthMethod method = methods.get(i);
            method.setLoggerFactory(client.getTransport().getConfig().getLoggerFactory());
            try {
                if (attempt(client, user, next, method)) {
                    return;
                }
                refused++;
            } catch (UserAuthException | TransportException e) {
                if (refused > 0 && died(client, e)) {
                    // the first key's attempt dying is a connection lost; after a refusal, a login cut short
                    throw new Closed(i + 1, i + 1 < methods.size() && methods.get(i + 1) instanceof TriedKey k ? k.entry() : -1, e);
                }
                if (e instanceof TransportException t) {
                    throw t;
                }
                last = (UserAuthException) e;
                if (method instanceof SignsOnSecondAttempt signs && signs.readyForSecondAttempt()) {
                    try {
                        if (attempt(client, user, next, method)) {
                            return;
                        }
                        refused++;
                    } catch (UserAuthException | TransportException again) {
                        if (method instanceof KeyFileAuth && died(client, again)) {
                            throw new ClosedWhileAsked(again);
                        }
                        if (again instanceof TransportException t) {
                            throw t;
                        }
                        last = (UserAuthException) again;
                    }
                }
            }
        }
        throw new UserAuthException("Exhausted available authentication methods", last);
    }

    /**
     * Whether the transport died under {@code e}. Its death reaches the method as the cause of the
     * failure, before the transport stops counting as running; an SSHException there may also be a
     * method's own (no algorithm for a key type), so the transport is asked whether it closed.
     */
    private static boolean died(SSHClient client, Exception e) {
        if (e instanceof TransportException) {
            return true;
        }
        if (!(e.getCause() instanceof SSHException)) {
            return false;
        }
        try {
            client.getTransport().join(1, TimeUnit.SECONDS);
            return true;
        } catch (TransportException t) {
            return !(t.getCause() instanceof TimeoutException);
        }
    }

    private static boolean attempt(SSHClient client, String user, AckingConnection next, AuthMethod method)
            throws UserAuthException, TransportException {
        return client.getUserAuth().authenticate(user, next, method, client.getTransport().getTimeoutMs());
    }
}
