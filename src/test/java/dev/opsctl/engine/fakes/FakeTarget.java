package dev.opsctl.engine.fakes;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Records commands and answers each with exit 0; {@code closed} says whether the engine released it. */
public final class FakeTarget implements Target {
    private final String host;
    private final String describe;
    public final List<String> commands = new ArrayList<>();
    public volatile boolean closed;

    public FakeTarget(String host, String describe) {
        this.host = host;
        this.describe = describe;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public synchronized ExecResult exec(ExecRequest request) {
        commands.add(request.command());
        return new ExecResult(0, "", "", Duration.ZERO, false, false);
    }

    @Override
    public void put(String path, byte[] content, FileAttrs attrs) {}

    @Override
    public byte[] get(String path, Sudo sudo) throws TargetException {
        throw TargetException.remoteFailed(host, "no such file '" + path + "'");
    }

    @Override
    public Optional<FileInfo> stat(String path, Sudo sudo) {
        return Optional.empty();
    }

    @Override
    public void close() {
        closed = true;
    }
}
