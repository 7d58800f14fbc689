package dev.opsctl.target.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.WaitResponse;
import dev.opsctl.source.Durations;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.container.ContainerRun;
import dev.opsctl.target.container.ContainerSpec;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code docker run}: create, attach (with the log so far, so nothing printed before the attach is
 * lost), start, wait for the exit, remove. The container is removed on every way out when asked
 * to, also on timeout and interrupt, and from a new connection after a lost one. A run whose exit status came
 * while its output was cut off by a lost connection has its output read again from the container's log.
 */
final class ContainerRunner {
    /** After the exit, how long the attach stream may take to deliver its last frames. */
    private static final long DRAIN_SECONDS = 10;
    private static final long ATTACH_SECONDS = 10;

    private final DaemonConnection daemon;

    ContainerRunner(DaemonConnection daemon) {
        this.daemon = daemon;
    }

    ContainerRun run(ContainerSpec spec) throws TargetException, InterruptedException {
        String what = "running image '" + spec.image() + "'";
        String id = daemon.change(what, c -> create(c.createContainerCmd(spec.image()), spec).exec().getId());
        if (spec.detach()) {
            daemon.change(what, "; container '" + shortId(id) + "' may have started", c -> c.startContainerCmd(id).exec());
            return new ContainerRun(id, Optional.empty(), "", false, false);
        }
        ContainerRun r;
        try {
            r = attached(id, spec, what);
        } catch (TargetException e) {
            if (e.mayStillRun()) {
                throw afterLoss(e, id, spec.remove());
            }
            Optional<TargetException> left = removeIf(spec.remove(), id);
            throw left.isEmpty() ? e : said(e, e.getMessage() + "; could not remove container '" + shortId(id) + "' ("
                    + left.get().getMessage() + ")");
        } catch (InterruptedException | RuntimeException e) {
            removeIf(spec.remove(), id);
            throw e;
        }
        Optional<TargetException> left = removeIf(spec.remove(), id);
        if (left.isPresent()) {
            throw notRemoved(r, left.get());
        }
        return r;
    }

    /**
     * A run that ended (its exit status came, or it was killed) whose removal failed: it is over, so neither a halt
     * (nothing of it runs on) nor a run to retry as if it had not run ({@code ENDED}); its result is said.
     */
    private TargetException notRemoved(ContainerRun r, TargetException why) {
        String ended = r.timedOut() ? "was killed after it outlived its timeout" : "exited " + r.exitCode().orElse(-1);
        return new TargetException(TargetException.Kind.CONNECTION_LOST, daemon.host(), "docker on host '" + daemon.host()
                + "': container '" + shortId(r.id()) + "' " + ended + ", but removing it failed: " + why.getMessage() + "; it may be left on the host,"
                + " stopped", why.getCause()).withLostCommand(TargetException.LostCommand.ENDED);
    }

    /**
     * A run whose connection broke, or whose daemon went silent under a change: the container may run on without it.
     * Removed (forced) from the new connection the next call makes when asked to remove it, and the failure says whether
     * that worked; else it is left.
     */
    private TargetException afterLoss(TargetException lost, String id, boolean remove) throws InterruptedException {
        if (!remove) {
            return said(lost, lost.getMessage() + "; container '" + shortId(id) + "' may still be running on the host");
        }
        Optional<TargetException> left = remove(id);
        if (left.isEmpty()) {
            String how = lost.kind() == TargetException.Kind.TIMEOUT ? "" : "reconnected and ";
            return new TargetException(lost.kind(), lost.host(), lost.getMessage() + "; opsctl " + how + "removed container '"
                    + shortId(id) + "'", lost.getCause()).withLostCommand(TargetException.LostCommand.STOPPED);
        }
        return said(lost, lost.getMessage() + "; container '" + shortId(id) + "' may still be running on the host: could not"
                + " remove it (" + left.get().getMessage() + ")");
    }

    /** {@code e} in other words, saying the same of what it cut short. */
    private static TargetException said(TargetException e, String words) {
        TargetException s = new TargetException(e.kind(), e.host(), words, e.getCause()).withLostCommand(e.lostCommand());
        return e.mayStillRun() && e.kind() == TargetException.Kind.TIMEOUT ? s.withChangeUnanswered() : s;
    }

    private ContainerRun attached(String id, ContainerSpec spec, String what) throws TargetException, InterruptedException {
        OutputCollector output = new OutputCollector(spec.maxOutput());
        WaitCallback exit = new WaitCallback();
        long started = System.nanoTime();
        try (Closeable a = output; Closeable w = exit) {
            daemon.streams(what, "", c -> c.attachContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
                    .withLogs(true).exec(output));
            output.awaitStarted(ATTACH_SECONDS, TimeUnit.SECONDS);
            daemon.change(what, "", c -> c.startContainerCmd(id).exec());
            daemon.streams(what, "", c -> c.waitContainerCmd(id).exec(exit));
            // awaitCompletion rethrows the stream's first error, and closes the stream in any case
            if (!exit.awaitCompletion(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(id, spec.timeout());
                return new ContainerRun(id, Optional.empty(), output.combined(), output.truncated(), true);
            }
            if (exit.code.get() == null) {
                IOException ended = new IOException("the wait for the exit ended without a status");
                throw daemon.lost(what, started, "", ended).orElseGet(() -> DockerErrors.notAnswering(daemon.host(), what, ended));
            }
            int code = exit.code.get();
            Optional<TargetException> cut = drain(output, what, started);
            if (cut.isPresent()) {
                // the exit status came, but the attach stream may have lost its last frames with the connection
                OutputCollector whole = fromLog(id, spec, what, cut.get(), code, output);
                return new ContainerRun(id, Optional.of(code), whole.combined(), whole.truncated(), false);
            }
            return new ContainerRun(id, Optional.of(code), output.combined(), output.truncated(), false);
        } catch (RuntimeException e) {
            throw daemon.failure(what, e, started, "");
        } catch (IOException e) {
            throw DockerErrors.notAnswering(daemon.host(), what, e);
        }
    }

    /**
     * Waits for the attach stream's last frames. What cut it short when the host's connection broke since
     * {@code started}: the stream then ends early, cleanly or not, as a stream the daemon ended does.
     */
    private Optional<TargetException> drain(OutputCollector output, String what, long started)
            throws TargetException, InterruptedException {
        try {
            output.awaitCompletion(DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            TargetException f = daemon.failure(what, e, started, "");
            if (f.kind() != TargetException.Kind.CONNECTION_LOST) {
                throw f;
            }
            return Optional.of(f);
        }
        return daemon.lost(what, started, "", null);
    }

    /**
     * All the output of a container that exited {@code code}, read again from its log on a new connection (a read).
     * When that fails too, is cut short in turn, or holds less than the attach had already got ({@code attached}), the run
     * is reported cut short ({@code ENDED}: it ran to its end, so it must not be run again as if it had not), never as a
     * run that printed only what the log or the attach got.
     */
    private OutputCollector fromLog(String id, ContainerSpec spec, String what, TargetException cut, int code,
            OutputCollector attached) throws TargetException, InterruptedException {
        String why;
        OutputCollector log = new OutputCollector(spec.maxOutput());
        long started = System.nanoTime();
        try (log) {
            daemon.streams(what, "", c -> c.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false).exec(log));
            if (!log.awaitCompletion(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                why = "it did not end within " + DRAIN_SECONDS + "s";
            } else {
                // a log read whose connection broke ends as cleanly as a whole one: only the forward can tell them apart
                Optional<TargetException> cutToo = daemon.lost(what, started, "", null);
                if (cutToo.isPresent()) {
                    why = cutToo.get().getMessage();
                } else if (!log.beginsWith(attached)) {
                    // a log driver that keeps only the newest lines (rotated, size-capped) has dropped the first ones
                    why = "the log does not begin with the output the run had sent before the break: it no longer holds"
                            + " all of it";
                } else {
                    return log;
                }
            }
        } catch (TargetException e) {
            why = e.getMessage();
        } catch (RuntimeException e) {
            why = daemon.failure(what, e, started, "").getMessage();
        } catch (IOException e) {
            why = e.getMessage();
        }
        throw new TargetException(TargetException.Kind.CONNECTION_LOST, daemon.host(), cut.getMessage() + "; container '"
                + shortId(id) + "' exited " + code + ", but the rest of its output was lost and could not be read again from its"
                + " log (" + why + ")", cut.getCause()).withLostCommand(TargetException.LostCommand.ENDED);
    }

    private static CreateContainerCmd create(CreateContainerCmd cmd, ContainerSpec spec) {
        HostConfig hc = HostConfig.newHostConfig();
        spec.network().ifPresent(hc::withNetworkMode);
        spec.runtime().ifPresent(hc::withRuntime);
        if (spec.remove() && spec.detach()) {
            hc.withAutoRemove(true);
        }
        cmd.withHostConfig(hc).withLabels(spec.labels());
        if (!spec.command().isEmpty()) {
            cmd.withCmd(spec.command());
        }
        spec.user().ifPresent(cmd::withUser);
        spec.name().ifPresent(cmd::withName);
        if (!spec.detach()) {
            cmd.withAttachStdout(true).withAttachStderr(true);
        }
        return cmd;
    }

    /**
     * Kills a container that outlived its time. One the daemon refuses to kill has exited on its own meanwhile; a kill
     * the connection cut off leaves it running, as the run's failure must say (never "killed").
     */
    private void kill(String id, Duration after) throws TargetException, InterruptedException {
        try {
            daemon.change("killing container '" + shortId(id) + "' after " + Durations.format(after), c -> c.killContainerCmd(id).exec());
        } catch (TargetException e) {
            if (e.kind() != TargetException.Kind.REMOTE_FAILED) {
                throw e;
            }
        }
    }

    private Optional<TargetException> removeIf(boolean remove, String id) throws InterruptedException {
        return remove ? remove(id) : Optional.empty();
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** Removes it (forced); what kept it, else empty. A removal the daemon refuses is one already done or under way. */
    private Optional<TargetException> remove(String id) throws InterruptedException {
        // an interrupt must not leave the container behind: clear it, remove, then restore it
        boolean interrupted = Thread.interrupted();
        try {
            daemon.change("removing container '" + id + "'", c -> c.removeContainerCmd(id).withForce(true).exec());
            return Optional.empty();
        } catch (TargetException e) {
            return e.kind() == TargetException.Kind.REMOTE_FAILED ? Optional.empty() : Optional.of(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The exit status from {@code /containers/ID/wait}. */
    private static final class WaitCallback extends ResultCallback.Adapter<WaitResponse> {
        final AtomicReference<Integer> code = new AtomicReference<>();

        @Override
        public void onNext(WaitResponse r) {
            code.set(r.getStatusCode());
        }
    }
}
