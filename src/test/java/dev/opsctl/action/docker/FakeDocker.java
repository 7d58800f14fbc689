package dev.opsctl.action.docker;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.UnixSocketForwarding;
import dev.opsctl.target.container.CommandResult;
import dev.opsctl.target.container.Container;
import dev.opsctl.target.container.ContainerRun;
import dev.opsctl.target.container.ContainerSpec;
import dev.opsctl.target.container.StopReport;
import dev.opsctl.target.docker.DaemonInfo;
import dev.opsctl.target.docker.DockerTarget;
import dev.opsctl.target.docker.DockerTargets;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A host whose Docker daemon is a scripted fake: the action finds it through
 * {@link UnixSocketForwarding#shared} as it would the real client. Records what it was asked.
 */
final class FakeDocker implements Target, UnixSocketForwarding, DockerTarget {
    final List<String> calls = new ArrayList<>();
    final Map<String, Container> containers = new LinkedHashMap<>();
    final List<String> ignoresSigterm = new ArrayList<>();
    List<String> securityOptions = List.of("name=seccomp,profile=builtin");
    int pingFailures;
    boolean daemonDown;
    boolean dropConnection;
    ContainerRun nextRun = new ContainerRun("c0ffee", Optional.of(0), "uid=1000(appuser) gid=1000(appuser)\n", false, false);

    FakeDocker running(String id, String name, Map<String, String> labels) {
        containers.put(id, new Container(id, name, "workspace-base:latest", "running", labels));
        return this;
    }

    @Override
    public String host() {
        return "web-1";
    }

    @Override
    public String describe() {
        return "docker on host 'web-1' (fake)";
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        calls.add("host exec " + request.command());
        return new ExecResult(0, "", "", Duration.ZERO, false, false);
    }

    @Override
    public void put(String path, byte[] content, FileAttrs attrs) {}

    @Override
    public byte[] get(String path, Sudo sudo) {
        return new byte[0];
    }

    @Override
    public Optional<FileInfo> stat(String path, Sudo sudo) {
        return Optional.empty();
    }

    @Override
    public Path forward(String remotePath) {
        return Path.of(remotePath);
    }

    @Override
    public <T extends AutoCloseable> T shared(String key, Class<T> type, Supplier<? extends T> create) {
        calls.add("shared " + key);
        return type.cast(this);
    }

    @Override
    public void ping() throws TargetException {
        calls.add("ping");
        if (pingFailures > 0) {
            pingFailures--;
            throw DockerTargets.daemonNotAnswering("web-1", "ping", new java.io.IOException("connection refused"));
        }
    }

    @Override
    public void ping(java.time.Duration within) throws TargetException {
        ping();
    }

    @Override
    public DaemonInfo info() throws TargetException {
        if (dropConnection) {
            throw TargetException.unreachable("web-1", "connection refused by '10.0.0.5:22'", null);
        }
        if (daemonDown) {
            throw DockerTargets.daemonNotAnswering("web-1", "docker info", new java.io.IOException("Connection refused"));
        }
        return new DaemonInfo("web-1", "26.1.5", securityOptions.contains("name=userns") ? "/var/lib/docker/100000.100000" : "/var/lib/docker",
                securityOptions, containers.size(), containers.values().stream().filter(Container::running).count());
    }

    @Override
    public List<Container> list(List<String> labels, boolean all) {
        calls.add("list " + labels + " " + all);
        return containers.values().stream().filter(c -> all || c.running())
                .filter(c -> labels.stream().allMatch(l -> c.labels().containsKey(l.split("=", 2)[0]))).toList();
    }

    @Override
    public StopReport stop(List<String> ids, Duration timeout, boolean forceAfter) {
        calls.add("stop " + ids + " " + timeout + " " + forceAfter);
        List<String> stopped = new ArrayList<>();
        List<String> forced = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (String id : ids) {
            (ignoresSigterm.contains(id) ? (forceAfter ? forced : left) : stopped).add(id);
        }
        return new StopReport(stopped, forced, left);
    }

    @Override
    public ContainerRun run(ContainerSpec spec) {
        calls.add("run " + spec.image() + " " + spec.command() + " user=" + spec.user().orElse("") + " network="
                + spec.network().orElse("") + " labels=" + spec.labels() + " rm=" + spec.remove() + " detach=" + spec.detach());
        return nextRun;
    }

    @Override
    public CommandResult exec(String container, List<String> command, Duration timeout) {
        calls.add("exec " + container + " " + command);
        return new CommandResult(0, "ok\n", "", false);
    }

    @Override
    public Optional<Object> inspect(String container, String field) throws TargetException {
        calls.add("inspect " + container + " " + field);
        if (!containers.containsKey(container)) {
            throw TargetException.remoteFailed("web-1", "docker on host 'web-1': no such container '" + container + "'");
        }
        return field.equals("State.Pid") ? Optional.of(4242L) : Optional.empty();
    }

    @Override
    public List<String> images() {
        return List.of();
    }

    @Override
    public boolean hasImage(String name) {
        calls.add("hasImage " + name);
        return calls.stream().anyMatch(c -> c.startsWith("host exec docker load"));
    }

    @Override
    public void load(InputStream tar, java.time.Duration timeout) {
        calls.add("load");
    }

    @Override
    public void pull(String name, Duration timeout) {
        calls.add("pull " + name);
    }

    @Override
    public void close() {}
}
