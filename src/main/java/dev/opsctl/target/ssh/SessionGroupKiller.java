package dev.opsctl.target.ssh;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.Sudo;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * Signals a command's process group ({@link GroupSignal}) from a session channel of its own on one
 * connection, with the command's sudo, password included: sshd signals a session as the login user
 * only, and not at all after a root login. The connection must answer a keepalive first, once: a
 * silent host would hold each channel open for sshj's 30 s, so one that does not answer is asked
 * nothing more ({@link SshExec.Group#NO_ANSWER}). No channel permit is taken: the command being
 * stopped holds one, and ten of them timing out at once would wait for each other. One attempt at a
 * session per signal: a host refusing one more (a low MaxSessions) is not asked again and again.
 * For one stop at a time.
 */
final class SessionGroupKiller implements SshExec.GroupKiller {
    /** How long one {@code kill} may take, sudo's password included. */
    private static final Duration KILL_CALL_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long the connection may take to answer before it is taken for silent: many round trips on
     * any link opsctl runs over, and short against the 6 s a stop may take in all.
     */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

    private final SshConnector.Connected connection;
    private final Sudo sudo;
    private final ExecutorService io;
    private Boolean answers;

    SessionGroupKiller(SshConnector.Connected connection, Sudo sudo, ExecutorService io) {
        this.connection = connection;
        this.sudo = sudo;
        this.io = io;
    }

    @Override
    public SshExec.Group signal(String signal, long pgid) {
        if (answers == null) {
            answers = connection.answersWithin(ANSWER_WITHIN);
        }
        if (!answers) {
            return SshExec.Group.NO_ANSWER;
        }
        ExecRequest kill = ExecRequest.of(GroupSignal.script(signal, pgid)).withSudo(sudo).withTimeout(KILL_CALL_TIMEOUT);
        try {
            Session session = connection.startSession();
            return GroupSignal.answer(SshExec.run(session, kill, io, null).result());
        } catch (IOException | SSHRuntimeException | IllegalStateException e) {
            if (!connection.alive()) {
                answers = false;
            }
            return SshExec.Group.UNKNOWN; // the connection is gone or sshd refused the session
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SshExec.Group.UNKNOWN;
        }
    }
}
