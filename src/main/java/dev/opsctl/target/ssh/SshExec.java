package dev.opsctl.target.ssh;

import dev.opsctl.target.EnvOnStdin;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.OutputListener;
import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.transport.TransportException;

/**
 * Runs one command on its own session channel: stdin fed then EOF, stdout and stderr read
 * concurrently, the exit status or signal collected. A timeout (or an interrupt) stops the command
 * on the host, TERM first, KILL after a grace period, two ways: the "signal" channel request, which
 * OpenSSH's sshd delivers with killpg() to the session's process group as the login user (and not
 * at all after a root login: no privilege separation), and, given a {@link GroupKiller}, {@code kill}
 * from a second channel with the command's own privileges to the process group it reported (a
 * command under sudo leads a group of its own, owned by root). The group is also what a command
 * left running by a broken connection is stopped by, from a new one ({@link LostCommandStop}).
 */
final class SshExec {
    private static final Map<Signal, Integer> SIGNAL_NUMBERS = Map.ofEntries(Map.entry(Signal.HUP, 1),
            Map.entry(Signal.INT, 2), Map.entry(Signal.QUIT, 3), Map.entry(Signal.ILL, 4), Map.entry(Signal.ABRT, 6),
            Map.entry(Signal.FPE, 8), Map.entry(Signal.KILL, 9), Map.entry(Signal.USR1, 10), Map.entry(Signal.SEGV, 11),
            Map.entry(Signal.USR2, 12), Map.entry(Signal.PIPE, 13), Map.entry(Signal.ALRM, 14), Map.entry(Signal.TERM, 15));
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The channel failed under the command (the connection broke); what it wrote until then comes
     * along, and the process group it reported ({@link #NO_GROUP} if none), by which it can be stopped.
     */
    static final class Broke extends IOException {
        private final transient TargetException.OutputSoFar outputSoFar;
        private final long group;

        Broke(IOException cause, TargetException.OutputSoFar outputSoFar, long group) {
            super(cause.getMessage(), cause);
            this.outputSoFar = outputSoFar;
            this.group = group;
        }

        TargetException.OutputSoFar outputSoFar() {
            return outputSoFar;
        }

        long group() {
            return group;
        }
    }

    /**
     * The command was not started: the exec request never left, its write failing on a connection
     * already closed or reset, so no sshd has it. The channel is given up.
     */
    static final class NotStarted extends IOException {
        NotStarted(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * The exec request went out and got no answer: from a connection gone silent (no answer in time,
     * or keepalives gave up), whose sshd may have the request, or get it when the silence ends (a
     * partition heals, a frozen process or VM resumes), and run the command then; from one the host
     * closed or reset after its sshd may have started the command (it starts it, then answers); or
     * not yet when opsctl stopped waiting for it (an interrupt: the step's timeout, Ctrl-C), when
     * sshd may be starting it. The channel is given up.
     */
    static final class Unanswered extends IOException {
        /** Why no answer came. */
        enum Why { SILENT, BROKE, STOPPED_WAITING }

        private final Why why;

        Unanswered(IOException cause, Why why) {
            super(cause.getMessage(), cause);
            this.why = why;
        }

        Why why() {
            return why;
        }
    }

    /** The command reported no process group (yet). */
    static final long NO_GROUP = 0;

    /**
     * What the channel left; {@code statusMissing}: it ended without an exit status. {@code group}:
     * the process group the command reported, or {@link #NO_GROUP}. {@code silent}: stopping it
     * (a timeout) found the connection no longer answering. {@code notStarted}: it ended without the
     * mark of its start ({@link RemoteCommand#build}): sudo or the login shell did not run it, and the
     * exit status and output are theirs.
     */
    record Outcome(ExecResult result, boolean statusMissing, long group, boolean silent, boolean notStarted) {}

    /** Signals a process group on the host from a channel of its own, with the command's privileges. */
    @FunctionalInterface
    interface GroupKiller {
        /** {@code kill -SIGNAL -PGID}; signal "0" only asks. Best effort, bounded. */
        Group signal(String signal, long pgid);
    }

    /**
     * What {@code kill} found: a process of the group took the signal, none was left, or the host
     * could not be asked; {@code NO_ANSWER}: the connection did not answer, so asking again is no use.
     */
    enum Group { THERE, GONE, UNKNOWN, NO_ANSWER }

    private SshExec() {}

    /**
     * Runs {@code r} on {@code session}, which it closes: at once once the command ended, else
     * (stopped without confirmation, or never started) on an {@code io} thread, since a host that does
     * not answer would hold a close for sshj's 30 s. With a {@code killer} the command reports its
     * process group, and a timeout stops that group; null only for opsctl's own short commands.
     *
     * @throws NotStarted the exec request could not be written: nothing ran
     * @throws Unanswered the exec request went out and got no answer: the command may run, or have run
     * @throws Broke the connection broke under the command
     */
    static Outcome run(Session session, ExecRequest r, ExecutorService io, GroupKiller killer)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        boolean withPassword = r.sudo().enabled() && r.sudo().password().isPresent();
        String marker = withPassword || killer != null ? "[opsctl-mark:" + HexFormat.of().formatHex(randomBytes(8)) + "]" : "";
        EnvOnStdin env;
        Session.Command cmd;
        try {
            env = EnvOnStdin.of(r.env());
            cmd = session.exec(RemoteCommand.build(r, env, marker, killer != null));
        } catch (IOException e) {
            closeLater(session, io);
            if (e instanceof TransportException) {
                // sshj's write of the request failed (its answer failing comes as a ConnectionException)
                throw new NotStarted(e);
            }
            if (e.getCause() instanceof InterruptedException) {
                // sshj's wait for the answer was interrupted (its interrupt kept): the request went out
                throw new Unanswered(e, Unanswered.Why.STOPPED_WAITING);
            }
            if (silent(e)) {
                throw new Unanswered(e, Unanswered.Why.SILENT);
            }
            throw SshErrors.transportBroke(e) ? new Unanswered(e, Unanswered.Why.BROKE) : e;
        } catch (RuntimeException e) {
            closeLater(session, io);
            throw e;
        }
        Optional<byte[]> input = env.before(r.stdin());
        CountDownLatch prompted = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger prompts = new AtomicInteger();
        AtomicLong group = new AtomicLong();
        OutputPump out = new OutputPump(cmd.getInputStream(), OutputListener.Stream.STDOUT, r.listener(), r.capture(), r.text());
        OutputPump err = new OutputPump(cmd.getErrorStream(), OutputListener.Stream.STDERR, r.listener(), r.capture(), r.text(), marker,
                new OutputPump.Marks() {
            @Override
            public void prompted() {
                prompts.incrementAndGet();
                prompted.countDown();
            }

            @Override
            public void started() {
                started.countDown();
            }

            @Override
            public void group(long pgid) {
                group.set(pgid);
            }
        });

        Future<Void> outDone = io.submit(out);
        Future<Void> errDone = io.submit(err);
        Future<?> fed;
        if (withPassword || input.isPresent()) {
            fed = io.submit(() -> {
                if (withPassword && input.isPresent()) {
                    CommandStdin.feedAfterStart(cmd, r, input.get(), prompts, started, outDone);
                } else {
                    CommandStdin.feed(cmd, r, input, withPassword, prompted, out, err, outDone);
                }
                return null;
            });
        } else {
            // nothing to send: EOF at once, without a thread hand-off per command
            try {
                cmd.getOutputStream().close();
            } catch (IOException e) {
                // the command may be gone already; its outcome says what happened, as with a feeder
            }
            fed = CompletableFuture.completedFuture(null);
        }
        boolean timedOut = false;
        CommandStop.Stopping stopped = CommandStop.Stopping.ENDED;
        try {
            long deadline = r.timeout().map(t -> start + t.toNanos()).orElse(Long.MAX_VALUE);
            if (!await(outDone, deadline) || !await(errDone, deadline) || !ended(cmd, deadline)) {
                timedOut = true;
                stopped = CommandStop.stop(cmd, outDone, errDone, killer, group);
            }
        } catch (InterruptedException e) {
            stopped = CommandStop.stop(cmd, outDone, errDone, killer, group);
            throw e;
        } catch (IOException e) {
            throw new Broke(e, new TargetException.OutputSoFar(out.text(), err.text()), group.get());
        } finally {
            fed.cancel(true);
            if (stopped == CommandStop.Stopping.ENDED) {
                cmd.close();
            } else {
                // sshd confirms the close only once the command is gone, a silent host never: not worth sshj's 30 s
                closeLater(cmd, io);
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        boolean truncated = out.truncated() || err.truncated();
        if (timedOut) {
            return new Outcome(new ExecResult(-1, out.text(), err.text(), elapsed, true, truncated, stopped != CommandStop.Stopping.ENDED),
                    false, group.get(), stopped == CommandStop.Stopping.NO_ANSWER, false);
        }
        Integer status = cmd.getExitStatus();
        Signal signal = cmd.getExitSignal();
        int code = status != null ? status : signal != null ? 128 + SIGNAL_NUMBERS.getOrDefault(signal, 0) : -1;
        String stderr = err.text();
        if (prompts.get() > 1) {
            stderr = stderr + "opsctl: sudo did not accept the password for user '" + r.sudo().user() + "'\n";
        }
        return new Outcome(new ExecResult(code, out.text(), stderr, elapsed, false, truncated), status == null && signal == null,
                group.get(), false, killer != null && started.getCount() > 0);
    }

    /**
     * A request that failed for want of an answer: none came in time, keepalives declared the
     * connection dead ({@link ServerAlive}), or this side closed it meanwhile (another call let it
     * go). Unlike a connection the host closed or reset, such a one may still deliver the request,
     * and the host act on it.
     */
    static boolean silent(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            DisconnectReason why = t instanceof SSHException s ? s.getDisconnectReason() : DisconnectReason.UNKNOWN;
            if (t instanceof TimeoutException || why == DisconnectReason.CONNECTION_LOST || why == DisconnectReason.BY_APPLICATION) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static void closeLater(java.io.Closeable channel, ExecutorService io) {
        try {
            io.submit(() -> {
                channel.close();
                return null;
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the target is closed, and its connection with it: so is the channel
        }
    }

    private static boolean await(Future<Void> f, long deadlineNanos) throws IOException, InterruptedException {
        try {
            if (deadlineNanos == Long.MAX_VALUE) {
                f.get();
            } else {
                f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    /**
     * Waits until the channel closes, which sshd does once the command exited, after its output
     * ended: a command that closed its output ({@code exec >/var/log/deploy.log 2>&1}) runs on
     * without any, as long as it takes, as on the local target. False at the deadline, the command
     * still running.
     */
    private static boolean ended(Session.Command cmd, long deadlineNanos) throws IOException, InterruptedException {
        try {
            if (deadlineNanos == Long.MAX_VALUE) {
                cmd.join();
            } else {
                cmd.join(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (ConnectionException e) {
            // sshj reports an interrupt, and the end of the wait, as the cause of its own exception
            if (e.getCause() instanceof InterruptedException) {
                throw new InterruptedException("interrupted while waiting for the command to end");
            }
            if (e.getCause() instanceof TimeoutException && cmd.isOpen()) {
                return false;
            }
            throw e;
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
