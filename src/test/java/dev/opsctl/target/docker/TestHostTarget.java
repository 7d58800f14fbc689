package dev.opsctl.target.docker;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.StatCommand;
import dev.opsctl.target.SharedResources;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.UnixSocketForwarding;
import dev.opsctl.testhost.DockerTestHosts;
import dev.opsctl.testhost.HostExec;
import dev.opsctl.testhost.TestHost;
import dev.opsctl.template.ShellQuote;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A test host as a target without SSH: commands through the fixture's {@code exec} (inside all of
 * the host's namespaces) and its {@code /run} sockets through the host's state directory, which is
 * what its {@code /run} is bind-mounted from. Enough for docker tests while the ssh target is elsewhere.
 */
public final class TestHostTarget implements Target, UnixSocketForwarding {
    private final DockerTestHosts hosts;
    private final TestHost host;
    private final SharedResources shared = new SharedResources();
    private int forwards;

    public TestHostTarget(DockerTestHosts hosts, TestHost host) {
        this.hosts = hosts;
        this.host = host;
    }

    public synchronized int forwards() {
        return forwards;
    }

    @Override
    public String host() {
        return host.name();
    }

    @Override
    public String describe() {
        return "test host " + host.number();
    }

    @Override
    public ExecResult exec(ExecRequest r) {
        long start = System.nanoTime();
        String cmd = r.stdin().isPresent()
                ? "echo " + Base64.getEncoder().encodeToString(r.stdin().get()) + " | base64 -d | (" + r.command() + ")"
                : r.command();
        HostExec e = hosts.exec(host, cmd, r.timeout().orElse(Duration.ofMinutes(2)));
        return new ExecResult(e.exitCode(), e.stdout(), e.stderr(), Duration.ofNanos(System.nanoTime() - start), false, false);
    }

    @Override
    public void put(String path, byte[] content, FileAttrs attrs) throws TargetException {
        HostExec e = hosts.exec(host, "echo " + Base64.getEncoder().encodeToString(content) + " | base64 -d > "
                + ShellQuote.quote(path));
        if (!e.ok()) {
            throw TargetException.remoteFailed(host(), "cannot write '" + path + "': " + e.stderr());
        }
    }

    @Override
    public byte[] get(String path, Sudo sudo) throws TargetException {
        HostExec e = hosts.exec(host, "base64 -w0 " + ShellQuote.quote(path));
        if (!e.ok()) {
            throw TargetException.remoteFailed(host(), "cannot read '" + path + "': " + e.stderr());
        }
        return Base64.getDecoder().decode(e.stdout().strip().getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public Optional<FileInfo> stat(String path, Sudo sudo) throws TargetException {
        HostExec e = hosts.exec(host, StatCommand.script(ShellQuote.quote(path)));
        if (!e.ok()) {
            // not 'absent': a stat that cannot run on the host's tools must show
            throw TargetException.remoteFailed(host(), "cannot stat '" + path + "': " + e.stderr());
        }
        return StatCommand.parse(e.stdout());
    }

    @Override
    public synchronized Path forward(String remotePath) {
        forwards++;
        String inRun = remotePath.replaceFirst("^/var/run/", "/run/");
        if (!inRun.startsWith("/run/")) {
            throw new IllegalArgumentException("only sockets under /run are reachable from outside a test host: " + remotePath);
        }
        return host.stateDir().resolve(inRun.substring(1));
    }

    @Override
    public <T extends AutoCloseable> T shared(String key, Class<T> type, Supplier<? extends T> create) {
        return shared.get(key, type, create);
    }

    @Override
    public void close() {
        shared.close();
    }
}
