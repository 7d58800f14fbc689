package dev.opsctl.app;

import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.inventory.Host;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Hosts whose commands find the stand-ins in {@code bin} before the machine's own tools (the controller's commands do
 * not): for tests whose hosts are this machine but must look like a fleet host, e.g. with a journal.
 */
final class ToolsFirstOnPath implements TargetProvider {
    private final TargetProvider hosts;
    private final Path bin;

    ToolsFirstOnPath(TargetProvider hosts, Path bin) {
        this.hosts = hosts;
        this.bin = bin;
    }

    @Override
    public Target open(Host host) throws TargetException {
        Target t = hosts.open(host);
        return new Target() {
            @Override
            public String host() {
                return t.host();
            }

            @Override
            public String describe() {
                return t.describe();
            }

            @Override
            public ExecResult exec(ExecRequest request) throws TargetException, InterruptedException {
                Map<String, String> env = new HashMap<>(request.env());
                env.putIfAbsent("PATH", bin + ":" + System.getenv("PATH"));
                return t.exec(request.withEnv(env));
            }

            @Override
            public void put(String path, byte[] content, FileAttrs attrs) throws TargetException, InterruptedException {
                t.put(path, content, attrs);
            }

            @Override
            public byte[] get(String path, Sudo sudo) throws TargetException, InterruptedException {
                return t.get(path, sudo);
            }

            @Override
            public Optional<FileInfo> stat(String path, Sudo sudo) throws TargetException, InterruptedException {
                return t.stat(path, sudo);
            }

            @Override
            public void close() {
                t.close();
            }
        };
    }

    @Override
    public Target controller(Host forHost) throws TargetException {
        return hosts.controller(forHost);
    }
}
