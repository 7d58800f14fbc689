package dev.opsctl.target.local;

import dev.opsctl.target.ExecResult;
import dev.opsctl.target.OutputListener;
import dev.opsctl.target.OutputText;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of one local process: stdin written and closed on its own thread (so a command that
 * writes before it reads cannot deadlock against us), stdout and stderr drained concurrently, and
 * the whole process group killed on timeout or interruption.
 */
final class LocalProcess {
    /**
     * What a finished process left; stdout kept as bytes so file reads through sudo stay binary-safe.
     * {@code leftRunning}: timed out, and not known to have ended when stopped. {@code notStarted}: it ended
     * without its command's {@link LocalCommand#startMark}: sudo did not run it, and the exit status and output are sudo's.
     */
    record Outcome(int exitCode, byte[] stdout, String stderr, Duration elapsed, boolean timedOut, boolean truncated,
            boolean leftRunning, boolean notStarted) {
        Outcome(int exitCode, byte[] stdout, String stderr, Duration elapsed, boolean timedOut, boolean truncated) {
            this(exitCode, stdout, stderr, elapsed, timedOut, truncated, false, false);
        }

        /** {@code text}: as the process was run with, so that stdout and stderr are decoded alike. */
        ExecResult toResult(OutputText text) {
            return new ExecResult(exitCode, text.decode(stdout), stderr, elapsed, timedOut, truncated, leftRunning);
        }
    }

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Duration DRAIN_AFTER_KILL = Duration.ofSeconds(5);
    /**
     * How long output may go on once neither the group nor the tree can show a live process: a
     * process that still holds the pipe then is one opsctl could not see (it left the tree before).
     */
    private static final Duration DRAIN_UNSURE = Duration.ofSeconds(1);

    private LocalProcess() {}

    /**
     * Runs {@code command}; {@code text}: how the output becomes the listener's lines and the outcome's stderr.
     *
     * @throws IOException when the process cannot be started
     * @throws InterruptedException after the process tree was killed
     */
    static Outcome run(LocalCommand command, Map<String, String> env, Optional<byte[]> stdin,
            Optional<Duration> timeout, OutputListener listener, int cap, OutputText text) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command.argv());
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process process = pb.start();
        int n = SEQ.incrementAndGet();
        StreamCapture out = new StreamCapture(process.getInputStream(), OutputListener.Stream.STDOUT, listener, cap, text);
        StreamCapture err = new StreamCapture(process.getErrorStream(), OutputListener.Stream.STDERR, listener, cap, text,
                command.startMark());
        Thread outThread = daemon(out, "opsctl-local-out-" + n);
        Thread errThread = daemon(err, "opsctl-local-err-" + n);
        Thread inThread = daemon(() -> feed(process.getOutputStream(), stdin), "opsctl-local-in-" + n);
        boolean timedOut = false;
        boolean leftRunning = false;
        try {
            Optional<Long> deadline = timeout.map(t -> start + t.toNanos());
            if (!waitFor(process, deadline) || !join(outThread, deadline) || !join(errThread, deadline)) {
                timedOut = true;
                GroupKill.Left left = ProcessTree.kill(process, command.ownGroup(), command.group());
                // what still runs holds the output open: waiting for its end would only hold the result up
                if (left != GroupKill.Left.THERE) {
                    long drain = (left == GroupKill.Left.GONE ? DRAIN_AFTER_KILL : DRAIN_UNSURE).toMillis();
                    outThread.join(drain);
                    errThread.join(drain);
                }
                leftRunning = left == GroupKill.Left.THERE
                        || left == GroupKill.Left.UNKNOWN && (outThread.isAlive() || errThread.isAlive());
            }
        } catch (InterruptedException e) {
            ProcessTree.kill(process, command.ownGroup(), command.group());
            inThread.interrupt();
            throw e;
        }
        inThread.join(DRAIN_AFTER_KILL.toMillis());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        int exit = timedOut ? -1 : process.exitValue();
        boolean notStarted = command.startMark().isPresent() && !timedOut && !err.sawStartMark();
        return new Outcome(exit, out.bytes(), err.text(), elapsed, timedOut, out.truncated() || err.truncated(), leftRunning,
                notStarted);
    }

    private static boolean waitFor(Process process, Optional<Long> deadline) throws InterruptedException {
        if (deadline.isEmpty()) {
            process.waitFor();
            return true;
        }
        return process.waitFor(Math.max(0, deadline.get() - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Waits for a reader: a background child that keeps the pipe open counts against the timeout too. */
    private static boolean join(Thread t, Optional<Long> deadline) throws InterruptedException {
        if (deadline.isEmpty()) {
            t.join();
            return true;
        }
        long left = deadline.get() - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
        return !t.isAlive();
    }

    private static void feed(OutputStream in, Optional<byte[]> stdin) {
        try (in) {
            if (stdin.isPresent()) {
                byte[] data = stdin.get();
                for (int off = 0; off < data.length; off += 64 * 1024) {
                    in.write(data, off, Math.min(64 * 1024, data.length - off));
                }
            }
        } catch (IOException e) {
            // the command exited or closed its stdin without reading everything: not an error of ours
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
