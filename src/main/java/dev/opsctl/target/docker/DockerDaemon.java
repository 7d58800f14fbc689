package dev.opsctl.target.docker;

import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Info;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.UnixSocketForwarding;
import dev.opsctl.target.container.CommandResult;
import dev.opsctl.target.container.Container;
import dev.opsctl.target.container.ContainerRun;
import dev.opsctl.target.container.ContainerSpec;
import dev.opsctl.target.container.StopReport;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@link DockerTarget} on docker-java, reaching the daemon's socket through the host target. Thread-safe. */
public final class DockerDaemon implements DockerTarget {
    /** Where dockerd listens unless configured otherwise. */
    public static final String DEFAULT_SOCKET = "/var/run/docker.sock";
    private static final int EXEC_MAX_OUTPUT = 4 * 1024 * 1024;

    private final DaemonConnection daemon;
    private final ContainerRunner runner;
    private final ContainerStopper stopper;
    private final ContainerInspector inspector;

    public DockerDaemon(String host, UnixSocketForwarding forwarding, String remoteSocket) {
        this.daemon = new DaemonConnection(host, forwarding, remoteSocket);
        this.inspector = new ContainerInspector(daemon);
        this.runner = new ContainerRunner(daemon);
        this.stopper = new ContainerStopper(daemon, inspector);
    }

    @Override
    public String host() {
        return daemon.host();
    }

    @Override
    public String describe() {
        return "docker on host '" + daemon.host() + "'";
    }

    @Override
    public void ping() throws TargetException, InterruptedException {
        daemon.read("ping", c -> c.pingCmd().exec());
    }

    @Override
    public void ping(Duration within) throws TargetException, InterruptedException {
        daemon.read("ping", within, c -> c.pingCmd().exec());
    }

    @Override
    public DaemonInfo info() throws TargetException, InterruptedException {
        Info i = daemon.read("docker info", c -> c.infoCmd().exec());
        return new DaemonInfo(Objects.toString(i.getName(), ""), Objects.toString(i.getServerVersion(), ""),
                Objects.toString(i.getDockerRootDir(), ""), i.getSecurityOptions() == null ? List.of() : i.getSecurityOptions(),
                i.getContainers() == null ? 0 : i.getContainers(), i.getContainersRunning() == null ? 0 : i.getContainersRunning());
    }

    @Override
    public List<Container> list(List<String> labels, boolean all) throws TargetException, InterruptedException {
        List<com.github.dockerjava.api.model.Container> found = daemon.read("listing containers",
                c -> c.listContainersCmd().withShowAll(all).withLabelFilter(labels).exec());
        List<Container> out = new ArrayList<>();
        for (com.github.dockerjava.api.model.Container c : found) {
            String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0].replaceFirst("^/", "");
            out.add(new Container(c.getId(), name, Objects.toString(c.getImage(), ""), Objects.toString(c.getState(), ""),
                    c.getLabels() == null ? Map.of() : c.getLabels()));
        }
        out.sort(Comparator.comparing(Container::name));
        return out;
    }

    @Override
    public StopReport stop(List<String> ids, Duration timeout, boolean forceAfter) throws TargetException, InterruptedException {
        return stopper.stop(ids, timeout, forceAfter);
    }

    @Override
    public ContainerRun run(ContainerSpec spec) throws TargetException, InterruptedException {
        return runner.run(spec);
    }

    @Override
    public CommandResult exec(String container, List<String> command, Duration timeout) throws TargetException, InterruptedException {
        String what = "exec in container '" + container + "'";
        // the Engine API cannot kill an exec'd process: cut off from it, opsctl cannot stop it either
        String effect = "; the command may still be running in container '" + container + "'";
        // a silent daemon is waited for no longer than the exec's own timeout: a gate's probe has no watchdog to end it
        String execId = daemon.change(what, DaemonConnection.MAY_HAVE_TAKEN_EFFECT, timeout, c -> c.execCreateCmd(container).withCmd(command.toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true).exec().getId());
        try (OutputCollector out = new OutputCollector(EXEC_MAX_OUTPUT)) {
            long started = System.nanoTime();
            daemon.streams(what, effect, c -> c.execStartCmd(execId).exec(out));
            boolean done;
            try {
                done = out.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                throw daemon.failure(what, e, started, effect);
            }
            if (!done) {
                // the Engine API cannot kill an exec'd process; it goes on in the container
                return new CommandResult(-1, out.stdout(), out.stderr(), true);
            }
            // a stream cut off by a lost connection ends as if the command had
            Optional<TargetException> lost = daemon.lost(what, started, effect, null);
            if (lost.isPresent()) {
                throw lost.get();
            }
            Long code = exitCode(what, execId);
            return new CommandResult(code == null ? -1 : code.intValue(), out.stdout(), out.stderr(), false);
        } catch (IOException e) {
            throw DockerErrors.notAnswering(daemon.host(), what, e);
        }
    }

    /**
     * The exit code of an exec whose command ended. A lost connection, a host lost with it, or a daemon gone silent,
     * under this read is not a read's plain failure: the command ran, and a step failed on it would be run again
     * ({@code ENDED}).
     */
    private Long exitCode(String what, String execId) throws TargetException, InterruptedException {
        try {
            return daemon.read(what, c -> c.inspectExecCmd(execId).exec().getExitCodeLong());
        } catch (TargetException e) {
            if (e.kind() == TargetException.Kind.REMOTE_FAILED) {
                throw e;
            }
            throw new TargetException(TargetException.Kind.CONNECTION_LOST, daemon.host(), "docker on host '" + daemon.host() + "': "
                    + what + " ran to its end, but its exit status could not be read: " + e.getMessage(), e)
                    .withLostCommand(TargetException.LostCommand.ENDED);
        }
    }

    @Override
    public Optional<Object> inspect(String container, String field) throws TargetException, InterruptedException {
        return inspector.field(container, field);
    }

    @Override
    public List<String> images() throws TargetException, InterruptedException {
        List<String> tags = new ArrayList<>();
        daemon.read("listing images", c -> c.listImagesCmd().exec()).forEach(i -> {
            if (i.getRepoTags() != null) {
                Arrays.stream(i.getRepoTags()).filter(t -> !t.equals("<none>:<none>")).forEach(tags::add);
            }
        });
        tags.sort(Comparator.naturalOrder());
        return tags;
    }

    @Override
    public boolean hasImage(String name) throws TargetException, InterruptedException {
        return daemon.read("inspecting image '" + name + "'", c -> {
            try {
                c.inspectImageCmd(name).exec();
                return true;
            } catch (NotFoundException e) {
                return false;
            }
        });
    }

    @Override
    public void load(InputStream tar, Duration timeout) throws TargetException, InterruptedException {
        daemon.streams("loading images", DaemonConnection.MAY_HAVE_TAKEN_EFFECT, timeout, c -> c.loadImageCmd(tar).exec());
    }

    @Override
    public void pull(String name, Duration timeout) throws TargetException, InterruptedException {
        String what = "pulling image '" + name + "'";
        long started = System.nanoTime();
        PullImageResultCallback cb = daemon.streams(what, DaemonConnection.MAY_HAVE_TAKEN_EFFECT,
                c -> c.pullImageCmd(name).exec(new PullImageResultCallback()));
        try (cb) {
            if (!cb.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw DockerErrors.timedOut(daemon.host(), what, timeout);
            }
        } catch (RuntimeException e) {
            throw daemon.failure(what, e, started, DaemonConnection.MAY_HAVE_TAKEN_EFFECT);
        } catch (IOException e) {
            throw DockerErrors.notAnswering(daemon.host(), what, e);
        }
    }

    @Override
    public void close() {
        daemon.close();
    }
}
