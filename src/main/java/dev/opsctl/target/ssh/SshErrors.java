package dev.opsctl.target.ssh;

import dev.opsctl.source.Durations;
import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.sftp.SFTPException;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;

/** The one place where sshj's and the socket layer's exceptions become {@link TargetException}s. */
final class SshErrors {
    private SshErrors() {}

    /**
     * A failure while connecting to {@code hop} (the host itself or a jump host on the way), through
     * {@code forwarder} (the jump host before it) if any.
     */
    static TargetException connect(SshSettings target, SshSettings hop, Optional<SshSettings> forwarder, IOException e,
            Optional<String> hostKeyRejection, List<String> keysTried) {
        String host = target.name();
        String via = hop == target ? "" : " (jump host '" + hop.name() + "' on the way)";
        String at = hop.hostName() + ":" + hop.port();
        // a host certificate failing its checks (principals, validity, CA signature) is a host key
        // failure too, though sshj's key exchanges report it as KEY_EXCHANGE_FAILED
        boolean certificate = message(e).contains("certificate check failed");
        if (hostKeyRejection.isPresent() || reason(e) == DisconnectReason.HOST_KEY_NOT_VERIFIABLE || certificate) {
            return new TargetException(TargetException.Kind.HOST_KEY, host, "host '" + host + "'" + via + ": "
                    + hostKeyRejection.orElse("the host key of '" + at + "' could not be verified: " + message(e)), e);
        }
        Optional<String> hostOffers = hostKeyAlgorithmsOffered(e);
        if (hostOffers.isPresent()) {
            return new TargetException(TargetException.Kind.HOST_KEY, host, "host '" + host + "'" + via + ": no host key type in"
                    + " common with '" + at + "': it offers " + hostOffers.get() + ", which opsctl refuses as OpenSSH 9.2 does"
                    + " (DSA keys, and RSA keys signed with SHA-1, 'ssh-rsa'); give the host an ed25519 key, or let its sshd"
                    + " sign with its RSA key as rsa-sha2-512", e);
        }
        if (e instanceof PublickeyLogin.Closed c) {
            int reached = c.offeredEntries() < 0 ? keysTried.size() : c.offeredEntries();
            String notOffered = reached < keysTried.size()
                    ? "; not offered: " + String.join(", ", keysTried.subList(reached, keysTried.size()))
                    : "";
            // sshd's words at MaxAuthTries; a close for another reason (LoginGraceTime) gets no advice on keys
            boolean maxTries = c.serverSaid().map(m -> m.contains("Too many authentication failures")).orElse(true);
            String keys = c.keys() == 1 ? "1 key" : c.keys() + " keys";
            return new TargetException(TargetException.Kind.AUTH_FAILED, host, "host '" + host + "'" + via + ": user '"
                    + hop.user() + "' was refused by '" + at + "': the server closed the login after " + keys
                    + (maxTries ? " (its MaxAuthTries)" : "") + c.serverSaid().map(m -> ", saying '" + m + "'").orElse("")
                    + "; keys tried: " + String.join(", ", keysTried.subList(0, reached)) + notOffered
                    + (maxTries ? "; use IdentitiesOnly yes with the right IdentityFile, or fewer agent keys" : ""), e);
        }
        if (e instanceof UserAuthException) {
            String keys = keysTried.isEmpty()
                    ? "no keys to try (no identity file found and no ssh-agent)"
                    : "keys tried: " + String.join(", ", keysTried);
            return new TargetException(TargetException.Kind.AUTH_FAILED, host, "host '" + host + "'" + via + ": user '"
                    + hop.user() + "' was refused by '" + at + "'; " + keys
                    + "; check the user and that one of these keys is in the user's authorized_keys", e);
        }
        Throwable root = rootCause(e);
        String why;
        if (root instanceof ConnectException && String.valueOf(root.getMessage()).contains("timed out")) {
            // ConnectTimeout 0: the system's TCP timeout ended the wait, not opsctl's
            why = "no answer from '" + at + "' before the system's TCP connect timeout";
        } else if (root instanceof ConnectException) {
            why = "connection refused by '" + at + "' (is sshd running on port " + hop.port() + "?)";
        } else if (root instanceof SocketTimeoutException) {
            why = "no answer from '" + at + "' within " + Durations.format(root instanceof HandshakeTimeout h ? h.within() : hop.connectTimeout());
        } else if (root instanceof NoRouteToHostException) {
            why = "no route to '" + at + "'";
        } else if (root instanceof UnknownHostException) {
            why = "unknown host name '" + hop.hostName() + "'";
        } else if (e instanceof OpenFailException && forwarder.isPresent()) {
            // the forwarding hop's sshd could not connect: the message names both hops, not the route
            return TargetException.unreachable(host, "jump host " + named(forwarder.get()) + " could not reach " + named(hop) + ": "
                    + message(e), e);
        } else {
            why = "ssh to '" + at + "' failed: " + message(e);
        }
        return TargetException.unreachable(host, why + via, e);
    }

    /** {@code 'alias' (address:port)}, or {@code 'address:port'} for a hop named by its address. */
    private static String named(SshSettings s) {
        String at = s.hostName() + ":" + s.port();
        return s.name().equals(s.hostName()) ? "'" + at + "'" : "'" + s.name() + "' (" + at + ")";
    }

    /**
     * A failure after the connection was up: lost connection, or the host's answer was an error. A
     * lost connection's message says only what broke; the caller adds what became of the call ({@link #lost}).
     */
    static TargetException during(SshSettings s, String what, IOException e, boolean connectionAlive) {
        // the transport reports its death to the channels before isRunning() turns false
        if (!connectionAlive || transportBroke(e)) {
            return lost(s, what, e, "");
        }
        if (e instanceof SFTPException sftp && sftp.getStatusCode() != null) {
            String why = switch (sftp.getStatusCode()) {
                case NO_SUCH_FILE, NO_SUCH_PATH -> "no such file or directory";
                case PERMISSION_DENIED -> "permission denied (use sudo if the file belongs to another user)";
                default -> message(e);
            };
            return new TargetException(TargetException.Kind.REMOTE_FAILED, s.name(), "host '" + s.name() + "': " + what
                    + ": " + why, e);
        }
        return new TargetException(TargetException.Kind.REMOTE_FAILED, s.name(), "host '" + s.name() + "': " + what
                + " failed: " + message(e), e);
    }

    /**
     * The connection broke while {@code what} was under way; {@code after} says what became of it
     * ("; opsctl reconnected and stopped it (TERM)"), empty when there is nothing to say.
     */
    static TargetException lost(SshSettings s, String what, IOException e, String after) {
        return new TargetException(TargetException.Kind.CONNECTION_LOST, s.name(), "host '" + s.name()
                + "': the ssh connection to '" + s.hostName() + ":" + s.port() + "' broke while " + what + " (" + message(e) + ")"
                + after, e);
    }

    /**
     * A command that did not start: neither its connection nor a new one ({@code again}) opened its
     * channel, or took its exec request before the host closed the connection; without {@code again},
     * an interrupt ended the wait on the first. Nothing ran, so the host is unreachable for it, not a
     * lost connection under a command (which may have run).
     */
    static TargetException notStarted(SshSettings s, String what, IOException e, boolean again) {
        String at = "the ssh connection to '" + s.hostName() + ":" + s.port() + "'";
        return TargetException.unreachable(s.name(), again
                ? at + " did not answer the request to start " + what + " (" + message(e) + "), nor did a new one; it did not run"
                : at + " had not opened a channel for " + what + " when opsctl stopped waiting (interrupted); it did not run", e);
    }

    /**
     * A command whose exec request went out unanswered: not sent again, since that connection's sshd
     * may still get the request and run it, or started it before the host closed or reset the
     * connection ({@link SshExec.Unanswered}).
     */
    static TargetException unanswered(SshSettings s, String what, SshExec.Unanswered e) {
        String at = "the ssh connection to '" + s.hostName() + ":" + s.port() + "'";
        String words = switch (e.why()) {
            case BROKE -> at + " broke before it answered the request to start " + what + " (" + message(e) + "); opsctl did not"
                    + " send it again: the host may have started it";
            case SILENT -> at + " did not answer the request to start " + what + " (" + message(e) + "); opsctl did not send it"
                    + " again: the host may still run it if that connection comes back";
            case STOPPED_WAITING -> at + " had not answered the request to start " + what + " when opsctl stopped waiting"
                    + " (interrupted); the host may have started it, or still start it";
        };
        return new TargetException(TargetException.Kind.CONNECTION_LOST, s.name(), "host '" + s.name() + "': " + words, e)
                .withLostCommand(TargetException.LostCommand.MAY_STILL_RUN);
    }

    /** Why a call failed, without the "host 'web1': " (or "host 'web1' is unreachable: ") its message starts with. */
    static String why(TargetException e) {
        String m = String.valueOf(e.getMessage());
        for (String prefix : List.of("host '" + e.host() + "' is unreachable: ", "host '" + e.host() + "': ")) {
            if (m.startsWith(prefix)) {
                return m.substring(prefix.length());
            }
        }
        return m;
    }

    static boolean transportBroke(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // ServerAlive's "server not responding" ends the connection with CONNECTION_LOST as its reason;
            // a reset or a broken pipe can reach an SFTP call before the transport has noticed it died
            if (t instanceof TransportException || t instanceof SSHException s && s.getDisconnectReason() == DisconnectReason.CONNECTION_LOST
                    || t instanceof java.net.SocketException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** What the host offered when no host key algorithm was common to both sides, as sshj reports it. */
    private static Optional<String> hostKeyAlgorithmsOffered(IOException e) {
        String m = message(e);
        String settlement = "unable to reach a settlement of HostKeyAlgorithms: ";
        int and = m.lastIndexOf("] and [");
        if (!m.startsWith(settlement) || and < 0 || !m.endsWith("]")) {
            return Optional.empty();
        }
        return Optional.of("'" + m.substring(and + 7, m.length() - 1).replace(", ", ",") + "'");
    }

    private static DisconnectReason reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSHException s && s.getDisconnectReason() != DisconnectReason.UNKNOWN) {
                return s.getDisconnectReason();
            }
        }
        return DisconnectReason.UNKNOWN;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static String message(Throwable e) {
        Throwable t = rootCause(e);
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.isEmpty() ? t.getClass().getSimpleName() : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }
}
