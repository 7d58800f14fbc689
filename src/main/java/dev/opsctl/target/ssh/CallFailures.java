package dev.opsctl.target.ssh;

import dev.opsctl.source.OneLine;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.CommandNotStarted;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * The failure of a call on an {@link SshTarget}'s connection, and what became of a command whose
 * connection broke under it or went silent: stopped from a new connection ({@link LostCommandStop})
 * or left running, as its result or failure then says. Thread-safe.
 */
final class CallFailures {
    private final SshSettings settings;
    private final HostConnection connection;
    private final ExecutorService io;

    CallFailures(SshSettings settings, HostConnection connection, ExecutorService io) {
        this.settings = settings;
        this.connection = connection;
        this.io = io;
    }

    /**
     * A finished command's result. Ended without an exit status on a dead connection: lost. Ended
     * without having started (sudo refused it, the login shell runs no commands): a failure of the host,
     * not an exit code to judge. Timed out on a connection that no longer answers, so that it could not
     * be stopped: stopped from a new connection if it can be, else reported as left running.
     */
    ExecResult finished(SshConnector.Connected c, ExecRequest request, SshExec.Outcome o) throws TargetException {
        ExecResult r = o.result();
        if (o.statusMissing() && !c.alive()) {
            throw lost(c, request, new IOException("the channel closed without an exit status"), o.group(),
                    new TargetException.OutputSoFar(r.stdout(), r.stderr()));
        }
        if (o.notStarted()) {
            throw CommandNotStarted.failure(settings.name(), request, Optional.of(settings.user()), r);
        }
        if (!o.silent()) {
            return r;
        }
        connection.forget(c);
        LostCommandStop.Outcome stop = LostCommandStop.stop(o.group(), request.sudo(), () -> connection.reconnectWithin(io), io);
        if (stop.state() == TargetException.LostCommand.STOPPED) {
            return new ExecResult(r.exitCode(), r.stdout(), r.stderr(), r.elapsed(), r.timedOut(), r.truncated(), false);
        }
        // not "it did not end after TERM and KILL": no signal was seen to arrive
        return r.leftRunningBecause("the ssh connection to '" + settings.hostName() + ":" + settings.port()
                + "' stopped answering, so opsctl could not stop it there" + stop.words());
    }

    /**
     * The failure of a command whose connection broke under it, after the reconnect that stops what
     * it left running ({@link LostCommandStop}): the message and {@link TargetException#lostCommand}
     * say what became of it. Not a lost connection (a live one's channel failed): as it is.
     */
    TargetException lost(SshConnector.Connected c, ExecRequest request, IOException e, long group,
            TargetException.OutputSoFar soFar) {
        TargetException t = failed(c, doing(request), e);
        if (t.kind() != TargetException.Kind.CONNECTION_LOST) {
            return t.withOutputSoFar(soFar);
        }
        LostCommandStop.Outcome stop = LostCommandStop.stop(group, request.sudo(), () -> connection.reconnectWithin(io), io);
        return SshErrors.lost(settings, doing(request), e, stop.words()).withOutputSoFar(soFar).withLostCommand(stop.state());
    }

    /**
     * The error of a call on {@code c}. A lost connection is let go at once: sshj can still report
     * it alive for a moment after its socket closed, and the next call (a clean-up) would fail on it again.
     */
    TargetException failed(SshConnector.Connected c, String what, IOException e) {
        if (c == null) {
            return SshErrors.lost(settings, what, e, "");
        }
        TargetException t = SshErrors.during(settings, what, e, c.alive());
        if (t.kind() == TargetException.Kind.CONNECTION_LOST) {
            connection.forget(c);
        }
        return t;
    }

    /**
     * What a call was doing, for its error: as the caller describes it, else the command's beginning
     * only. A whole script (or a secret rendered into it) has no place in a one-line error that
     * reaches JSON output and logs.
     */
    static String doing(ExecRequest request) {
        return request.description().orElseGet(() -> "running '" + OneLine.of(request.command(), 60) + "'");
    }
}
