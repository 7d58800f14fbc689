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
    /** What a finished process left; stdout kept as bytes so file reads through sudo stay binary-safe. */
    record Outcome(int exitCode, byte[] stdout, String stderr, Duration elapsed, boolean timedOut, boolean truncated) {
        /** {@code text}: as the process was run with, so that stdout and stderr are decoded alike. */
        ExecResult toResult(OutputText text) {
            return new ExecResult(exitCode, text.decode(stdout), stderr, elapsed, timedOut, truncated);
        }
    }

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Duration DRAIN_AFTER_KILL = Duration.ofSeconds(5);

    private LocalProcess() {}

    /**
     * Runs {@code argv}; {@code ownGroup} says argv starts with setsid (the process leads its group);
     * {@code text}: how the output becomes the listener's lines and the outcome's stderr.
     *
     * @throws IOException when the process cannot be started
     * @throws InterruptedException after the process tree was killed
     */
    static Outcome run(List<String> argv, boolean ownGroup, Map<String, String> env, Optional<byte[]> stdin,
            Optional<Duration> timeout, OutputListener listener, int cap, OutputText text) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process process = pb.start();
        int n = SEQ.incrementAndGet();
        StreamCapture out = new StreamCapture(process.getInputStream(), OutputListener.Stream.STDOUT, listener, cap, text);
        StreamCapture err = new StreamCapture(process.getErrorStream(), OutputListener.Stream.STDERR, listener, cap, text);
        Thread outThread = daemon(out, "opsctl-local-out-" + n);
        Thread errThread = daemon(err, "opsctl-local-err-" + n);
        Thread inThread = daemon(() -> feed(process.getOutputStream(), stdin), "opsctl-local-in-" + n);
        boolean timedOut = false;
        try {
            Optional<Long> deadline = timeout.map(t -> start + t.toNanos());
            if (!waitFor(process, deadline) || !join(outThread, deadline) || !join(errThread, deadline)) {
                timedOut = true;
                ProcessTree.kill(process, ownGroup);
                outThread.join(DRAIN_AFTER_KILL.toMillis());
                errThread.join(DRAIN_AFTER_KILL.toMillis());
            }
        } catch (InterruptedException e) {
            ProcessTree.kill(process, ownGroup);
            inThread.interrupt();
            throw e;
        }
        inThread.join(DRAIN_AFTER_KILL.toMillis());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        int exit = timedOut ? -1 : process.exitValue();
        return new Outcome(exit, out.bytes(), err.text(), elapsed, timedOut, out.truncated() || err.truncated());
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
