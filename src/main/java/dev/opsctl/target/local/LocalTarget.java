package dev.opsctl.target.local;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.OutputListener;
import dev.opsctl.target.SharedResources;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.UnixSocketForwarding;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * This machine as a target: commands through {@code /bin/sh -c} in their own process group (so a
 * timeout ends everything they started), files through NIO, or through sudo'd shell commands when
 * root is needed and opsctl is not root. Its unix sockets need no forwarding: {@link #forward} hands
 * back the path itself. Thread-safe: every call has its own process and threads.
 */
public final class LocalTarget implements Target, UnixSocketForwarding {
    private static final Duration FILE_TIMEOUT = Duration.ofMinutes(5);

    private final String host;
    private final boolean root;
    private final SharedResources shared = new SharedResources();

    /** The local machine under the inventory name {@code host}. */
    public LocalTarget(String host) {
        this.host = host;
        this.root = isRoot();
    }

    public LocalTarget() {
        this("localhost");
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public String describe() {
        return "local";
    }

    /** True when opsctl runs as root, so sudo to root is skipped. */
    public boolean root() {
        return root;
    }

    @Override
    public ExecResult exec(ExecRequest r) throws TargetException, InterruptedException {
        return run(r.command(), r.sudo(), r.env(), r.stdin(), r.timeout(), r.listener(), ExecResult.MAX_CAPTURE).toResult();
    }

    @Override
    public void put(String path, byte[] content, FileAttrs attrs) throws TargetException, InterruptedException {
        if (LocalCommand.needsSudo(attrs.sudo(), root)) {
            LocalProcess.Outcome o = run(SudoFiles.put(path, attrs), attrs.sudo(), Map.of(), Optional.of(content),
                    Optional.of(FILE_TIMEOUT), OutputListener.NONE, 64 * 1024);
            check(o, "cannot write '" + path + "'");
            return;
        }
        try {
            LocalFiles.put(Path.of(path), content, attrs);
        } catch (IOException e) {
            throw fileError("cannot write '" + path + "'", e);
        }
    }

    @Override
    public byte[] get(String path, Sudo sudo) throws TargetException, InterruptedException {
        if (LocalCommand.needsSudo(sudo, root)) {
            LocalProcess.Outcome o = run(SudoFiles.get(path), sudo, Map.of(), Optional.empty(),
                    Optional.of(FILE_TIMEOUT), OutputListener.NONE, Integer.MAX_VALUE - 8);
            check(o, "cannot read '" + path + "'");
            return o.stdout();
        }
        try {
            return LocalFiles.get(Path.of(path));
        } catch (IOException e) {
            throw fileError("cannot read '" + path + "'", e);
        }
    }

    @Override
    public Optional<FileInfo> stat(String path, Sudo sudo) throws TargetException, InterruptedException {
        if (LocalCommand.needsSudo(sudo, root)) {
            LocalProcess.Outcome o = run(SudoFiles.stat(path), sudo, Map.of(), Optional.empty(),
                    Optional.of(FILE_TIMEOUT), OutputListener.NONE, 64 * 1024);
            check(o, "cannot stat '" + path + "'");
            return parseStat(path, new String(o.stdout(), java.nio.charset.StandardCharsets.UTF_8).strip());
        }
        try {
            return LocalFiles.stat(Path.of(path));
        } catch (IOException e) {
            throw fileError("cannot stat '" + path + "'", e);
        }
    }

    @Override
    public Path forward(String remotePath) {
        return Path.of(remotePath);
    }

    @Override
    public <T extends AutoCloseable> T shared(String key, Class<T> type, Supplier<? extends T> create) {
        return shared.get(key, type, create);
    }

    @Override
    public void close() {
        shared.close();
    }

    private LocalProcess.Outcome run(String command, Sudo sudo, Map<String, String> env, Optional<byte[]> stdin,
            Optional<Duration> timeout, OutputListener listener, int cap) throws TargetException, InterruptedException {
        LocalCommand cmd = LocalCommand.of(command, sudo, root, env, ProcessTree.setsid());
        try {
            return LocalProcess.run(cmd.argv(), cmd.ownGroup(), env, LocalCommand.stdin(stdin, sudo, root), timeout, listener, cap);
        } catch (IOException e) {
            throw new TargetException(TargetException.Kind.UNREACHABLE, host,
                    "cannot start '/bin/sh' on host '" + host + "': " + e.getMessage(), e);
        }
    }

    private void check(LocalProcess.Outcome o, String what) throws TargetException {
        if (o.timedOut()) {
            throw new TargetException(TargetException.Kind.TIMEOUT, host, what + ": no answer after " + FILE_TIMEOUT.toMinutes() + "m");
        }
        if (o.exitCode() != 0) {
            String why = o.stderr().isBlank() ? "exit " + o.exitCode() : o.toResult().lastLine();
            throw TargetException.remoteFailed(host, what + " on host '" + host + "': " + why);
        }
    }

    private TargetException fileError(String what, IOException e) {
        String why;
        if (e instanceof NoSuchFileException) {
            why = "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied (does the step need 'sudo: true'?)";
        } else {
            why = String.valueOf(e.getMessage());
        }
        return new TargetException(TargetException.Kind.REMOTE_FAILED, host, what + " on host '" + host + "': " + why, e);
    }

    private Optional<FileInfo> parseStat(String path, String out) throws TargetException {
        if (out.equals("absent")) {
            return Optional.empty();
        }
        String[] parts = out.split(" ", 3);
        try {
            return Optional.of(new FileInfo(Long.parseLong(parts[0]), Integer.parseInt(parts[1], 8), parts[2].equals("directory")));
        } catch (RuntimeException e) {
            throw TargetException.remoteFailed(host, "cannot stat '" + path + "' on host '" + host + "': unexpected output '" + out + "'");
        }
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
