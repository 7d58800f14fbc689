package dev.opsctl.target.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;

/** Stops a command {@link SshExec} ran past its timeout (or was interrupted in): signals, a grace period, and asking. */
final class CommandStop {
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);
    /** How long stopping a command may take in all: TERM's grace, KILL's, and the asking. */
    private static final Duration STOP_BUDGET = Duration.ofSeconds(6);

    /** How stopping a command ended. */
    enum Stopping { ENDED, LEFT_RUNNING, NO_ANSWER }

    private CommandStop() {}

    /**
     * Ends the remote command: TERM, then KILL if it is still there after a grace period, each sent
     * both ways (see {@link SshExec}), within {@link #STOP_BUDGET} in all. With a killer and the
     * group the command reported (read again each round: the line can come late), it has ended when
     * no live process of its group is left (under sudo the channel can close while the command lives
     * on); else when its output ended and sshd closed the channel, which is when the last process
     * holding the output is gone and the command exited (so too when the host cannot be asked about
     * the group).
     */
    static Stopping stop(Session.Command cmd, Future<Void> outDone, Future<Void> errDone, SshExec.GroupKiller killer,
            AtomicLong group) {
        long giveUp = System.nanoTime() + STOP_BUDGET.toNanos();
        for (String signal : new String[] {"TERM", "KILL"}) {
            // Only on a channel whose output has not ended: sshd closes it right after, and a request
            // on a channel it has freed makes it drop the whole connection ("unknown channel")
            if (!(outDone.isDone() && errDone.isDone()) && cmd.isOpen()) {
                try {
                    cmd.signal(Signal.valueOf(signal));
                } catch (IOException e) {
                    // the channel is gone, and with it (or with the connection) the way to the host: the wait below tells
                }
            }
            long pgid = group.get();
            boolean byGroup = killer != null && pgid > 1;
            SshExec.Group sent = byGroup ? killer.signal(signal, pgid) : SshExec.Group.UNKNOWN;
            if (sent == SshExec.Group.GONE) {
                return Stopping.ENDED;
            }
            if (sent == SshExec.Group.NO_ANSWER) {
                // a silent host tells nothing more for waiting: the caller may stop it from a new connection
                return Stopping.NO_ANSWER;
            }
            long until = Math.min(System.nanoTime() + KILL_GRACE.toNanos(), giveUp);
            while (System.nanoTime() - until < 0) {
                try {
                    Thread.sleep(byGroup ? 100 : 20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Stopping.LEFT_RUNNING;
                }
                SshExec.Group left = byGroup ? killer.signal("0", pgid) : SshExec.Group.UNKNOWN;
                if (left == SshExec.Group.GONE || left != SshExec.Group.THERE && outDone.isDone() && errDone.isDone() && !cmd.isOpen()) {
                    return Stopping.ENDED;
                }
                if (left == SshExec.Group.NO_ANSWER) {
                    return Stopping.NO_ANSWER;
                }
            }
            if (System.nanoTime() - giveUp >= 0) {
                return Stopping.LEFT_RUNNING;
            }
        }
        return Stopping.LEFT_RUNNING;
    }
}
