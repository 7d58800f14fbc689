package dev.opsctl.target.ssh;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.OutputListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;

/**
 * Runs one command on its own session channel: stdin fed then EOF, stdout and stderr read
 * concurrently, the exit status or signal collected. A timeout sends the "signal" channel request,
 * which OpenSSH's sshd delivers with killpg() to the session's process group, so the command and its
 * children end on the host: TERM first, KILL after a grace period.
 */
final class SshExec {
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);
    private static final Duration PROMPT_WAIT = Duration.ofSeconds(5);
    /**
     * How long sudo may take to start the command after it was answered (or to ask at all) before it
     * gets EOF. Not final: a test shortens it rather than wait 30 s.
     */
    static volatile Duration startWait = Duration.ofSeconds(30);
    private static final Map<Signal, Integer> SIGNAL_NUMBERS = Map.ofEntries(Map.entry(Signal.HUP, 1),
            Map.entry(Signal.INT, 2), Map.entry(Signal.QUIT, 3), Map.entry(Signal.ILL, 4), Map.entry(Signal.ABRT, 6),
            Map.entry(Signal.FPE, 8), Map.entry(Signal.KILL, 9), Map.entry(Signal.USR1, 10), Map.entry(Signal.SEGV, 11),
            Map.entry(Signal.USR2, 12), Map.entry(Signal.PIPE, 13), Map.entry(Signal.ALRM, 14), Map.entry(Signal.TERM, 15));
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the channel left; {@code exitCode} is empty when the channel ended without a status. */
    record Outcome(ExecResult result, boolean statusMissing) {}

    private SshExec() {}

    static Outcome run(Session session, ExecRequest r, ExecutorService io) throws IOException, InterruptedException {
        long start = System.nanoTime();
        boolean withPassword = r.sudo().enabled() && r.sudo().password().isPresent();
        String marker = withPassword ? "[opsctl-sudo:" + HexFormat.of().formatHex(randomBytes(8)) + "]" : "";
        Session.Command cmd = session.exec(RemoteCommand.build(r, marker));
        CountDownLatch prompted = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger prompts = new AtomicInteger();
        OutputPump out = new OutputPump(cmd.getInputStream(), OutputListener.Stream.STDOUT, r.listener());
        OutputPump err = new OutputPump(cmd.getErrorStream(), OutputListener.Stream.STDERR, r.listener(), marker, () -> {
            prompts.incrementAndGet();
            prompted.countDown();
        }, started::countDown);
        Future<Void> outDone = io.submit(out);
        Future<Void> errDone = io.submit(err);
        Future<?> fed;
        if (withPassword || r.stdin().isPresent()) {
            fed = io.submit(() -> {
                if (withPassword && r.stdin().isPresent()) {
                    feedAfterStart(cmd, r, prompts, started, outDone);
                } else {
                    feed(cmd, r, withPassword, prompted, out, err, outDone);
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
        try {
            long deadline = r.timeout().map(t -> start + t.toNanos()).orElse(Long.MAX_VALUE);
            if (!await(outDone, deadline) || !await(errDone, deadline)) {
                timedOut = true;
                stop(cmd, outDone, errDone);
            }
            if (!timedOut) {
                cmd.join(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            stop(cmd, outDone, errDone);
            throw e;
        } finally {
            fed.cancel(true);
            cmd.close();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        boolean truncated = out.truncated() || err.truncated();
        if (timedOut) {
            return new Outcome(new ExecResult(-1, out.text(), err.text(), elapsed, true, truncated), false);
        }
        Integer status = cmd.getExitStatus();
        Signal signal = cmd.getExitSignal();
        int code = status != null ? status : signal != null ? 128 + SIGNAL_NUMBERS.getOrDefault(signal, 0) : -1;
        String stderr = err.text();
        if (prompts.get() > 1) {
            stderr = stderr + "opsctl: sudo did not accept the password for user '" + r.sudo().user() + "'\n";
        }
        return new Outcome(new ExecResult(code, out.text(), stderr, elapsed, false, truncated), status == null && signal == null);
    }

    private static void feed(Session.Command cmd, ExecRequest r, boolean withPassword, CountDownLatch prompted,
            OutputPump out, OutputPump err, Future<Void> outDone) throws IOException, InterruptedException {
        try (OutputStream in = cmd.getOutputStream()) {
            if (withPassword) {
                // sudo prompts only when it needs the password; don't wait forever when it doesn't
                long until = System.nanoTime() + PROMPT_WAIT.toNanos();
                while (!prompted.await(20, TimeUnit.MILLISECONDS)) {
                    if (out.sawOutput() || err.sawOutput() || outDone.isDone() || System.nanoTime() > until) {
                        break;
                    }
                }
                if (prompted.getCount() == 0) {
                    in.write((r.sudo().password().get().reveal() + "\n").getBytes(StandardCharsets.UTF_8));
                    in.flush();
                }
            }
            if (r.stdin().isPresent()) {
                in.write(r.stdin().get());
            }
            // sshj's close() sends what is still buffered only if the remote window has room at that moment,
            // then EOF regardless: up to one packet (32 KiB) of stdin was lost. flush() waits for the window.
            in.flush();
        }
    }

    /**
     * With a password and input: the password when sudo prompts, the input only once the command
     * announced its start. A second prompt means the password was wrong: EOF then, so sudo gives up
     * instead of reading the input as further attempts (and a lockout counting them). So does a sudo
     * that neither starts the command nor asks with our prompt within {@link #startWait} (a PAM stack
     * asking for a one-time code, say): it fails instead of waiting for ever.
     */
    private static void feedAfterStart(Session.Command cmd, ExecRequest r, AtomicInteger prompts, CountDownLatch started,
            Future<Void> outDone) throws IOException, InterruptedException {
        try (OutputStream in = cmd.getOutputStream()) {
            int answered = 0;
            long giveUp = System.nanoTime() + startWait.toNanos();
            while (!started.await(20, TimeUnit.MILLISECONDS) && !outDone.isDone()) {
                int asked = prompts.get();
                if (asked > 1 || System.nanoTime() > giveUp) {
                    return;
                }
                if (asked == 1 && answered == 0) {
                    giveUp = System.nanoTime() + startWait.toNanos();
                    in.write((r.sudo().password().get().reveal() + "\n").getBytes(StandardCharsets.UTF_8));
                    in.flush();
                    answered = 1;
                }
            }
            if (started.getCount() == 0) {
                in.write(r.stdin().get());
                in.flush();
            }
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

    /** Ends the remote command: TERM to its process group, KILL if it is still there after a grace period. */
    private static void stop(Session.Command cmd, Future<Void> outDone, Future<Void> errDone) {
        for (Signal s : new Signal[] {Signal.TERM, Signal.KILL}) {
            try {
                cmd.signal(s);
            } catch (IOException e) {
                return;
            }
            long until = System.nanoTime() + KILL_GRACE.toNanos();
            while (System.nanoTime() < until && !(outDone.isDone() && errDone.isDone())) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (outDone.isDone() && errDone.isDone()) {
                return;
            }
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
