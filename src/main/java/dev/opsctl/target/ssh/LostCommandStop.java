package dev.opsctl.target.ssh;

import dev.opsctl.target.Sudo;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.TargetException.LostCommand;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * What opsctl does about a command whose connection broke under it, or went silent when it timed
 * out: that does not end the command. sshd's child is gone, but the command, under sudo or in a
 * process group of its own, goes on, and finished a backup or rewrote a file after the step had
 * failed and its rollback had run. So opsctl connects again (a host that refuses, its sshd
 * restarting, is tried again for a while: {@link Reconnection}) and stops the process group the
 * command reported from there, with its sudo: TERM, KILL {@value #GRACE_SECONDS} s later, asking
 * until no live process of the group is left. Only a group seen gone counts as stopped.
 */
final class LostCommandStop {
    private static final int GRACE_SECONDS = 2;
    private static final Duration GRACE = Duration.ofSeconds(GRACE_SECONDS);

    /** A new connection to the host, opened within a bound. */
    @FunctionalInterface
    interface Reconnect {
        SshConnector.Connected open() throws TargetException, InterruptedException;
    }

    /** What became of the command, and in words for the failure's message: "; opsctl reconnected and stopped it (TERM)". */
    record Outcome(LostCommand state, String words) {
        static Outcome stopped(String how) {
            return new Outcome(LostCommand.STOPPED, "; opsctl reconnected and " + how);
        }

        static Outcome mayStillRun(String why) {
            return new Outcome(LostCommand.MAY_STILL_RUN, "; it may still be running on the host: " + why);
        }
    }

    private LostCommandStop() {}

    /**
     * Stops process group {@code pgid} ({@link SshExec#NO_GROUP}: none reported) from a connection
     * {@code reconnect} opens. Never throws; an interrupt ends the attempt and is kept for the caller.
     */
    static Outcome stop(long pgid, Sudo sudo, Reconnect reconnect, ExecutorService io) {
        if (pgid <= 1) {
            return Outcome.mayStillRun("it had not reported its process group, by which opsctl stops a command");
        }
        SshConnector.Connected c;
        try {
            c = reconnect.open();
        } catch (TargetException e) {
            return Outcome.mayStillRun("could not reconnect (" + SshErrors.why(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return interrupted();
        }
        SshExec.GroupKiller killer = new SessionGroupKiller(c, sudo, io);
        // asked first: "gone" after TERM is also what a group says that TERM ended at once
        SshExec.Group there = killer.signal("0", pgid);
        if (there == SshExec.Group.GONE) {
            return Outcome.stopped("found it no longer running");
        }
        SshExec.Group term = there == SshExec.Group.THERE ? killer.signal("TERM", pgid) : there;
        if (term != SshExec.Group.THERE && term != SshExec.Group.GONE) {
            return Thread.currentThread().isInterrupted() ? interrupted()
                    : Outcome.mayStillRun("opsctl reconnected but could not signal it (kill, with the command's sudo)");
        }
        try {
            if (term == SshExec.Group.GONE || goneWithin(killer, pgid)) {
                return Outcome.stopped("stopped it (TERM)");
            }
            if (killer.signal("KILL", pgid) == SshExec.Group.GONE || goneWithin(killer, pgid)) {
                return Outcome.stopped("stopped it (TERM, then KILL)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return interrupted();
        }
        return Outcome.mayStillRun("opsctl reconnected, but it did not end after TERM and KILL");
    }

    private static boolean goneWithin(SshExec.GroupKiller killer, long pgid) throws InterruptedException {
        long until = System.nanoTime() + GRACE.toNanos();
        while (System.nanoTime() - until < 0) {
            Thread.sleep(100);
            SshExec.Group left = killer.signal("0", pgid);
            if (left == SshExec.Group.GONE) {
                return true;
            }
            if (left != SshExec.Group.THERE) {
                return false;
            }
        }
        return false;
    }

    private static Outcome interrupted() {
        return Outcome.mayStillRun("interrupted before opsctl could stop it");
    }
}
