package dev.opsctl.target.local;

import dev.opsctl.target.CommandNotStarted;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.OutputListener;
import dev.opsctl.target.OutputText;
import dev.opsctl.target.OwnUid;
import dev.opsctl.target.PrivateDirWrite;
import dev.opsctl.target.SharedResources;
import dev.opsctl.target.StatCommand;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.UnixSocketForwarding;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
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
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String host;
    private final boolean root;
    private final SharedResources shared = new SharedResources();
    /** Per process, not per target: each host's controller target would otherwise try a wrong password again. */
    private static final Map<Map.Entry<String, dev.opsctl.source.Secret>, PasswordCheck> PASSWORD_CHECKS = new java.util.HashMap<>();
    private static final java.util.concurrent.atomic.AtomicInteger PASSWORD_CHECKS_RUN = new java.util.concurrent.atomic.AtomicInteger();

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
        LocalProcess.Outcome o = run(r.command(), r.sudo(), r.env(), r.stdin(), r.timeout(), r.listener(), r.capture(), r.text());
        ExecResult result = o.toResult(r.text());
        if (o.notStarted()) {
            // sudo's exit status, not the command's: never one to judge
            throw CommandNotStarted.failure(host, r, Optional.empty(), result);
        }
        return result;
    }

    @Override
    public void put(String path, byte[] content, FileAttrs attrs) throws TargetException, InterruptedException {
        // root in a directory others can write must not follow names they can swap: the shell recipe pins its directory
        if (root || LocalCommand.needsSudo(attrs.sudo(), root)) {
            privilegedPut(path, content, attrs);
            return;
        }
        try {
            LocalFiles.put(Path.of(path), content, attrs);
        } catch (IOException e) {
            throw fileError("cannot write '" + path + "'", e);
        }
    }

    private void privilegedPut(String path, byte[] content, FileAttrs attrs) throws TargetException, InterruptedException {
        String suffix = Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
        boolean done = false;
        try {
            LocalProcess.Outcome o = run(PrivateDirWrite.script(path, suffix, attrs, content.length, Optional.empty()), attrs.sudo(),
                    Map.of(), Optional.of(content), Optional.of(FILE_TIMEOUT), OutputListener.NONE, 64 * 1024);
            check(o, "cannot write '" + path + "'");
            done = true;
        } finally {
            if (!done) {
                removeLeftovers(path, suffix, attrs);
            }
        }
    }

    /** The script removes what it made unless it was killed; best effort, the write's own error is what counts. */
    private void removeLeftovers(String path, String suffix, FileAttrs attrs) {
        boolean interrupted = Thread.interrupted();
        try {
            run(PrivateDirWrite.cleanup(path, suffix, Optional.empty()), attrs.sudo(), Map.of(), Optional.empty(),
                    Optional.of(Duration.ofSeconds(30)), OutputListener.NONE, 64 * 1024);
        } catch (TargetException | InterruptedException e) {
            // left for the operator: a private 0700 directory beside the destination
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public byte[] get(String path, Sudo sudo) throws TargetException, InterruptedException {
        if (LocalCommand.needsSudo(sudo, root)) {
            LocalProcess.Outcome o = run(SudoFiles.get(path), sudo, Map.of(), Optional.empty(),
                    Optional.of(FILE_TIMEOUT), OutputListener.NONE, Integer.MAX_VALUE - 8);
            check(o, "cannot read '" + path + "'");
            if (o.truncated()) {
                throw TargetException.remoteFailed(host, "cannot read '" + path + "' on host '" + host
                        + "': it is larger than the 2 GiB a read can hold");
            }
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
            LocalProcess.Outcome o = run(StatCommand.script(LocalCommand.quote(path)), sudo, Map.of(), Optional.empty(),
                    Optional.of(FILE_TIMEOUT), OutputListener.NONE, 64 * 1024);
            check(o, "cannot stat '" + path + "'");
            try {
                return StatCommand.parse(new String(o.stdout(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw TargetException.remoteFailed(host, "cannot stat '" + path + "' on host '" + host + "': " + e.getMessage());
            }
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
        return run(command, sudo, env, stdin, timeout, listener, cap, OutputText.REPLACED);
    }

    private LocalProcess.Outcome run(String command, Sudo sudo, Map<String, String> env, Optional<byte[]> stdin,
            Optional<Duration> timeout, OutputListener listener, int cap, OutputText text) throws TargetException, InterruptedException {
        Sudo asked = sudo;
        if (LocalCommand.needsSudo(sudo, root) && sudo.password().isPresent()) {
            PasswordCheck check = passwordCheck(sudo);
            if (check == PasswordCheck.NOT_ASKED) {
                asked = Sudo.as(sudo.user(), Optional.empty());
            } else if (check == PasswordCheck.REFUSED) {
                return new LocalProcess.Outcome(1, new byte[0], "opsctl: sudo did not accept the password for user '" + sudo.user()
                        + "'\n", Duration.ZERO, false, false, false, true);
            }
        }
        LocalCommand cmd = LocalCommand.of(command, asked, root, env, ProcessTree.setsid());
        try {
            return LocalProcess.run(cmd, env, LocalCommand.stdin(stdin, asked, root, env), timeout, listener, cap, text);
        } catch (IOException e) {
            throw new TargetException(TargetException.Kind.UNREACHABLE, host,
                    "cannot start '/bin/sh' on host '" + host + "': " + e.getMessage(), e);
        }
    }

    private enum PasswordCheck { NOT_ASKED, ACCEPTED, REFUSED }

    /**
     * sudo reads the password line only when it asks for one; when it does not (NOPASSWD, or a user
     * it needs no password for), the line would become the command's input, the start of a file it
     * writes. And a wrong one would make it read the input as further attempts. So, once per process
     * for each user and password:
     * does sudo ask at all, and if so, does it take the password alone (then EOF: one attempt)?
     */
    private PasswordCheck passwordCheck(Sudo sudo) throws TargetException, InterruptedException {
        // one check at a time: concurrent hosts must not each try a wrong password (pam_faillock counts them)
        synchronized (PASSWORD_CHECKS) {
            Map.Entry<String, dev.opsctl.source.Secret> key = Map.entry(sudo.user(), sudo.password().get());
            PasswordCheck known = PASSWORD_CHECKS.get(key);
            if (known == null) {
                known = checkPassword(sudo);
                PASSWORD_CHECKS.put(key, known);
            }
            return known;
        }
    }

    /** How many times this process asked sudo whether it wants a password; tests count them. */
    static int passwordChecksRun() {
        return PASSWORD_CHECKS_RUN.get();
    }

    private PasswordCheck checkPassword(Sudo sudo) throws TargetException, InterruptedException {
        PASSWORD_CHECKS_RUN.incrementAndGet();
        PasswordCheck check;
        // -k: a login sudo still remembers (from this terminal) says nothing about the commands, which run without one
        if (sudoExit(List.of("sudo", "-k", "-n", "-u", sudo.user(), "--", "/bin/sh", "-c", "true"), Optional.empty()) == 0) {
            check = PasswordCheck.NOT_ASKED;
        } else {
            byte[] line = (sudo.password().get().reveal() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            check = sudoExit(List.of("sudo", "-S", "-k", "-p", "", "-u", sudo.user(), "--", "/bin/sh", "-c", "true"), Optional.of(line)) == 0
                    ? PasswordCheck.ACCEPTED : PasswordCheck.REFUSED;
        }
        return check;
    }

    private int sudoExit(List<String> argv, Optional<byte[]> stdin) throws TargetException, InterruptedException {
        try {
            return LocalProcess.run(new LocalCommand(argv, false, GroupKill.OWN), Map.of(), stdin, Optional.of(FILE_TIMEOUT),
                    OutputListener.NONE, 4096, OutputText.REPLACED).exitCode();
        } catch (IOException e) {
            throw new TargetException(TargetException.Kind.REMOTE_FAILED, host, "cannot run sudo on host '" + host + "': "
                    + e.getMessage(), e);
        }
    }

    private void check(LocalProcess.Outcome o, String what) throws TargetException {
        if (o.timedOut()) {
            throw new TargetException(TargetException.Kind.TIMEOUT, host, what + ": no answer after " + FILE_TIMEOUT.toMinutes() + "m");
        }
        if (o.exitCode() != 0) {
            String why = o.stderr().isBlank() ? "exit " + o.exitCode() : o.toResult(OutputText.REPLACED).lastLine();
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

    private static boolean isRoot() {
        try {
            return OwnUid.read() == 0;
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
