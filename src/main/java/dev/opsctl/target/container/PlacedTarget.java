package dev.opsctl.target.container;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import java.util.Optional;

/**
 * A host's target whose commands and files still go to the host, and whose containers go to
 * {@code backend}. Closing closes the host's target; the backend belongs to the run.
 */
public final class PlacedTarget implements Target, ContainerPlacement {
    /** Opens the backend on first use (the cluster may not be needed by any step). */
    @FunctionalInterface
    public interface Opener {
        ContainerBackend open() throws TargetException;
    }

    private final Target host;
    private final String backendName;
    private final Opener backend;

    public PlacedTarget(Target host, String backendName, Opener backend) {
        this.host = host;
        this.backendName = backendName;
        this.backend = backend;
    }

    @Override
    public String backendName() {
        return backendName;
    }

    @Override
    public ContainerBackend containers() throws TargetException {
        return backend.open();
    }

    @Override
    public String host() {
        return host.host();
    }

    @Override
    public String describe() {
        return host.describe();
    }

    @Override
    public ExecResult exec(ExecRequest request) throws TargetException, InterruptedException {
        return host.exec(request);
    }

    @Override
    public void put(String path, byte[] content, FileAttrs attrs) throws TargetException, InterruptedException {
        host.put(path, content, attrs);
    }

    @Override
    public byte[] get(String path, Sudo sudo) throws TargetException, InterruptedException {
        return host.get(path, sudo);
    }

    @Override
    public Optional<FileInfo> stat(String path, Sudo sudo) throws TargetException, InterruptedException {
        return host.stat(path, sudo);
    }

    @Override
    public void close() {
        host.close();
    }
}
