package dev.opsctl.app;

import dev.opsctl.engine.execute.HostSudo;
import dev.opsctl.engine.execute.StopSignal;
import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.inventory.Host;
import dev.opsctl.source.Durations;
import dev.opsctl.source.Secret;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.OutputListener;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code opsctl exec}: one command on every selected host, up to {@code forks} hosts at once.
 * Each host gets its own target (its own connection), closed when its command is done. Results
 * come back in inventory order whatever order the hosts finished in.
 */
public final class ExecService {
    public static final int DEFAULT_FORKS = 64;
    /** How long a stop waits for the interrupted hosts' commands to be stopped. */
    private static final long STOP_GRACE_SECONDS = 5;

    /**
     * The command and how to run it. {@code asRoot}: through sudo as root ({@code -b}); otherwise a
     * host the inventory says to become on runs it as its become user. {@code sudoPassword}: for
     * either, when sudo asks for one. {@code capture}: the bytes of each stream kept per host
     * ({@link #captureFor}).
     */
    public record Request(String command, Optional<Duration> timeout, boolean asRoot, Optional<Secret> sudoPassword, int forks,
            int capture) {
        public Request {
            if (forks < 1) {
                throw new IllegalArgumentException("forks must be at least 1, not " + forks);
            }
        }

        public Request(String command, Optional<Duration> timeout, boolean asRoot, Optional<Secret> sudoPassword, int forks) {
            this(command, timeout, asRoot, sudoPassword, forks, ExecResult.MAX_CAPTURE);
        }
    }

    /** What a streamed run keeps of each stream: only enough for the failure line, the rest was printed. */
    static final int STREAMED_CAPTURE = 64 * 1024;

    /**
     * The bytes of each stream kept per host for {@code hosts} hosts within {@code maxHeap}: all of
     * them together at most an eighth of the heap (a kept byte costs about three while it becomes
     * text), 16 MiB per stream at most, 64 KiB at least. 100 hosts writing 17 MB each had taken 5.5 GB.
     */
    public static int captureFor(int hosts, boolean streamed, long maxHeap) {
        if (streamed) {
            return STREAMED_CAPTURE;
        }
        long share = maxHeap / 8 / (2L * Math.max(1, hosts));
        return (int) Math.max(STREAMED_CAPTURE, Math.min(ExecResult.MAX_CAPTURE, share));
    }

    /** Live progress; called from worker threads, so implementations must be thread-safe. */
    public interface Listener {
        Listener NONE = new Listener() {};

        default void line(String host, OutputListener.Stream stream, String line) {}

        default void finished(HostOutcome outcome) {}
    }

    private final TargetProvider targets;

    public ExecService(TargetProvider targets) {
        this.targets = targets;
    }

    public List<HostOutcome> run(List<Host> hosts, Request request, Listener listener) throws InterruptedException {
        return run(hosts, request, listener, new StopSignal()).hosts();
    }

    /** Each host's outcome in inventory order; {@code interrupted} when a stop cut the exec short. */
    public record Outcomes(List<HostOutcome> hosts, boolean interrupted) {}

    /**
     * As {@link #run(List, Request, Listener)}; when {@code stop} is requested (Ctrl-C), every
     * command still running is interrupted, which makes its target stop the remote command (TERM,
     * then KILL), and waits up to {@value #STOP_GRACE_SECONDS} s for that; a host that had not
     * finished is then failed as interrupted, one that had keeps its outcome.
     */
    public Outcomes run(List<Host> hosts, Request request, Listener listener, StopSignal stop) throws InterruptedException {
        if (hosts.isEmpty()) {
            return new Outcomes(List.of(), false);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(request.forks(), hosts.size()), r -> {
            Thread t = new Thread(r, "exec");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<HostOutcome>> futures = new ArrayList<>();
            for (Host h : hosts) {
                futures.add(pool.submit(() -> {
                    HostOutcome o = runOne(h, request, listener);
                    listener.finished(o);
                    return o;
                }));
            }
            boolean interrupted = awaitAll(futures, stop);
            if (interrupted) {
                pool.shutdownNow();
                pool.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            }
            List<HostOutcome> out = new ArrayList<>();
            for (int i = 0; i < hosts.size(); i++) {
                Future<HostOutcome> f = futures.get(i);
                if (interrupted && (!f.isDone() || f.isCancelled() || failedByInterrupt(f))) {
                    out.add(new HostOutcome(hosts.get(i).name(), HostOutcome.Status.FAILED, -1, "", "", Duration.ZERO,
                            f.isDone() && !f.isCancelled()
                                    ? "interrupted: its command was told to stop (TERM, then KILL)"
                                    : "interrupted: its command had not started, or did not stop within " + STOP_GRACE_SECONDS + " s", false));
                    continue;
                }
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("exec on host '" + hosts.get(i).name() + "' failed unexpectedly", e.getCause());
                }
            }
            return new Outcomes(out, interrupted);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits for every host; true as soon as {@code stop} is requested (or this thread interrupted) first. */
    private static boolean awaitAll(List<Future<HostOutcome>> futures, StopSignal stop) {
        for (Future<HostOutcome> f : futures) {
            while (!f.isDone()) {
                if (stop.requested()) {
                    return true;
                }
                try {
                    f.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // not done yet, or done: the loop or the caller reads it
                } catch (InterruptedException e) {
                    return true;
                }
            }
        }
        return stop.requested();
    }

    private static boolean failedByInterrupt(Future<HostOutcome> f) {
        try {
            f.get();
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof InterruptedException;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static String lastWords(String line) {
        return line.isEmpty() ? "" : ": " + line;
    }

    private HostOutcome runOne(Host host, Request request, Listener listener) throws InterruptedException {
        long start = System.nanoTime();
        LastLines last = new LastLines();
        ExecRequest exec = ExecRequest.of(request.command()).withCapture(request.capture()).withBytesKept()
                .withSudo(HostSudo.of(host, true, request.asRoot(), request.sudoPassword()))
                .withListener((stream, line) -> {
                    last.line(stream, line);
                    listener.line(host.name(), stream, line);
                });
        if (request.timeout().isPresent()) {
            exec = exec.withTimeout(request.timeout().get());
        }
        try (Target target = targets.open(host)) {
            ExecResult r = target.exec(exec);
            if (r.ok()) {
                return new HostOutcome(host.name(), HostOutcome.Status.OK, 0, r.stdout(), r.stderr(), r.elapsed(), "", r.truncated());
            }
            String why = r.timedOut()
                    ? "timed out after " + Durations.format(request.timeout().orElse(r.elapsed())) + " (" + r.stoppedOrNot() + ")"
                    : "exit " + r.exitCode() + lastWords(r.truncated() ? last.get() : r.lastLine());
            return new HostOutcome(host.name(), HostOutcome.Status.FAILED, r.exitCode(), r.stdout(), r.stderr(), r.elapsed(), why,
                    r.truncated(), r.timedOut() && r.leftRunning());
        } catch (TargetException e) {
            // lost, not unreachable: the command was started there, and may have run or still be running
            HostOutcome.Status status = e.kind() == TargetException.Kind.CONNECTION_LOST ? HostOutcome.Status.LOST
                    : e.unreachable() ? HostOutcome.Status.UNREACHABLE
                    : HostOutcome.Status.FAILED;
            boolean mayStillRun = status == HostOutcome.Status.LOST && e.lostCommand() == TargetException.LostCommand.MAY_STILL_RUN;
            // a connection lost under the command: what it wrote until then is shown, not dropped
            return new HostOutcome(host.name(), status, -1, e.outputSoFar().stdout(), e.outputSoFar().stderr(),
                    Duration.ofNanos(System.nanoTime() - start), e.getMessage(), false, mayStillRun);
        }
    }
}
