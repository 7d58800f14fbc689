package dev.opsctl.target.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsctl.source.Secret;
import dev.opsctl.target.EnvOnStdin;
import dev.opsctl.target.EnvOnStdinTest;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.Sudo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTargetTest {
    @TempDir
    Path tmp;

    @Test
    void anInterruptKillsTheWholeProcessTree() throws Exception {
        LocalTarget target = new LocalTarget();
        Path pidFile = tmp.resolve("pid");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                target.exec(ExecRequest.of("sleep 300 & echo $! > " + pidFile + "; wait"));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        for (int i = 0; i < 100 && (!Files.exists(pidFile) || Files.size(pidFile) == 0); i++) {
            Thread.sleep(50);
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        t.interrupt();
        t.join(10_000);
        assertFalse(t.isAlive());
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        for (int i = 0; i < 50 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(100);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "child " + pid + " survived");
    }

    /**
     * A command starts in the directory opsctl was started in, with sudo or without, as with Ansible's
     * local connection; over SSH it starts in the login user's home (LoginShellTargetContract).
     */
    @Test
    void aCommandStartsInTheDirectoryOpsctlWasStartedIn() throws Exception {
        LocalTarget target = new LocalTarget();
        String here = Path.of(System.getProperty("user.dir")).toRealPath() + "\n";
        assertEquals(here, target.exec(ExecRequest.of("pwd -P")).stdout());
        if (target.exec(ExecRequest.of("[ \"$(id -u)\" = 0 ] || sudo -n true")).exitCode() == 0) {
            assertEquals(here, target.exec(ExecRequest.of("pwd -P").withSudo(Sudo.ROOT)).stdout());
        }
    }

    @Test
    void aSudoPasswordTravelsOnStdinNeverInTheArguments() {
        Sudo sudo = Sudo.withPassword(new Secret("pa55word"));
        LocalCommand cmd = LocalCommand.of("id -u", sudo, false, Map.of(), Optional.of("/usr/bin/setsid"));
        assertEquals(List.of("/usr/bin/setsid", "sudo", "-S", "-k", "-p", "", "--", "/bin/sh", "-c", started(cmd) + "id -u"), cmd.argv());
        assertFalse(String.join(" ", cmd.argv()).contains("pa55word"));
        byte[] stdin = LocalCommand.stdin(Optional.of("data".getBytes(StandardCharsets.UTF_8)), sudo, false, Map.of()).orElseThrow();
        assertArrayEquals("pa55word\ndata".getBytes(StandardCharsets.UTF_8), stdin);
    }

    @Test
    void sudoWithoutAPasswordNeverPrompts() {
        LocalCommand cmd = LocalCommand.of("true", Sudo.ROOT, false, Map.of(), Optional.empty());
        assertEquals(List.of("sudo", "-n", "--", "/bin/sh", "-c", started(cmd) + "true"), cmd.argv());
        assertFalse(cmd.ownGroup());
    }

    /** sudo resets the environment: it follows on stdin, after the password line, not in sudo's or sh's arguments. */
    @Test
    void underSudoTheEnvironmentTravelsOnStdinNeverInTheArguments() {
        Map<String, String> env = Map.of("A", "s3cret");
        Sudo sudo = Sudo.withPassword(new Secret("pa55word"));
        LocalCommand cmd = LocalCommand.of("true", sudo, false, env, Optional.empty());
        assertEquals(List.of("sudo", "-S", "-k", "-p", "", "--", "/bin/sh", "-c", started(cmd) + EnvOnStdin.of(env).script() + "true"),
                cmd.argv());
        assertFalse(String.join(" ", cmd.argv()).contains("s3cret"));
        assertArrayEquals("pa55word\n1\ns3cret\ndata".getBytes(StandardCharsets.UTF_8),
                LocalCommand.stdin(Optional.of("data".getBytes(StandardCharsets.UTF_8)), sudo, false, env).orElseThrow());
        assertArrayEquals("1\ns3cret\n".getBytes(StandardCharsets.UTF_8),
                LocalCommand.stdin(Optional.empty(), Sudo.ROOT, false, env).orElseThrow());
    }

    /**
     * Through sudo to another user (as root: sudo runs, and needs no password): every value byte for
     * byte, the input after it untouched, end of input without any, and no value in any process's
     * arguments (sudo's and sh's are readable by any user).
     */
    @Test
    void underSudoTheEnvironmentArrivesWholeAndIsInNoProcessArguments() throws Exception {
        assumeTrue(new LocalTarget().root(), "needs root, as CI runs");
        String secret = "s3cret-" + System.nanoTime();
        Map<String, String> env = new java.util.HashMap<>(EnvOnStdinTest.AWKWARD);
        env.put("OPSCTL_SECRET", secret);
        ExecRequest r = ExecRequest.of("cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' ' >&2; " + EnvOnStdinTest.print(env)
                + "echo ---; cat").withEnv(env).withSudo(Sudo.as("nobody", Optional.empty()));
        LocalTarget t = new LocalTarget();
        var withInput = t.exec(r.withStdin("line one\n\nno newline".getBytes(StandardCharsets.UTF_8)));
        assertFalse(withInput.stderr().contains(secret), "the value is on a command line: " + withInput.stderr());
        assertTrue(withInput.stderr().contains("sudo -n -u nobody -- /bin/sh -c"), "the process list was read: " + withInput.stderr());
        assertEquals(EnvOnStdinTest.printed(env) + "---\nline one\n\nno newline", withInput.stdout());
        var without = t.exec(r);
        assertEquals(EnvOnStdinTest.printed(env) + "---\n", without.stdout(), "end of input without any");
    }

    @Test
    void aPasswordSudoDoesNotAskForIsNeverFedToTheCommandOrWrittenToAFile() throws Exception {
        // as root, sudo to another user never asks: the password line must not become the command's input
        org.junit.jupiter.api.Assumptions.assumeTrue(new LocalTarget().root(), "needs root, as CI runs");
        Sudo asNobody = Sudo.as("nobody", Optional.of(new Secret("pa55word")));
        LocalTarget t = new LocalTarget();
        var r = t.exec(ExecRequest.of("cat").withSudo(asNobody).withStdin("data\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("data\n", r.stdout());
        Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "opsctl-nobody");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        String file = dir.resolve("written").toString();
        t.put(file, "content\n".getBytes(StandardCharsets.UTF_8),
                new dev.opsctl.target.FileAttrs(Optional.empty(), Optional.empty(), Optional.empty(), asNobody));
        assertEquals("content\n", Files.readString(Path.of(file)));
        assertEquals("nobody", Files.getOwner(Path.of(file)).getName());
    }

    @Test
    void whetherSudoAsksIsCheckedOncePerProcessForEachUserAndPasswordHoweverManyHosts() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new LocalTarget().root(), "needs root, as CI runs");
        Sudo asNobody = Sudo.as("nobody", Optional.of(new Secret("pw-" + System.nanoTime())));
        int before = LocalTarget.passwordChecksRun();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                // each host's controller target is a new LocalTarget: the check must not be per target
                String host = "host" + i;
                runs.add(pool.submit(() -> new LocalTarget(host).exec(ExecRequest.of("true").withSudo(asNobody)).exitCode()));
            }
            for (var r : runs) {
                assertEquals(0, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, LocalTarget.passwordChecksRun() - before, "8 hosts, one user and password: one check");
        new LocalTarget().exec(ExecRequest.of("true").withSudo(Sudo.as("nobody", Optional.of(new Secret("another-" + System.nanoTime())))));
        assertEquals(2, LocalTarget.passwordChecksRun() - before, "another password is checked on its own");
    }

    /** What the sh under sudo runs first: the mark of its start, with a builtin. */
    private static String started(LocalCommand cmd) {
        return "printf '%s' '" + cmd.startMark().orElseThrow() + "' >&2; ";
    }

    /**
     * sudo that does not run the command (here an unknown user; elsewhere a password it wants, a user sudoers does not allow)
     * exits 1, as {@code test -e /var/run/stale.lock} does for "no lock": that is a failure of the host, never an exit to
     * judge. A command that ran keeps its exit code, and the mark is in no output.
     */
    @Test
    void aCommandSudoDidNotStartIsAFailureOfTheHostNotItsExitCode() throws Exception {
        assumeTrue(new LocalTarget().root(), "needs root, as CI runs");
        LocalTarget t = new LocalTarget("web1");
        for (Sudo refused : List.of(Sudo.as("opsctl-no-such-user", Optional.empty()),
                Sudo.as("opsctl-no-such-user", Optional.of(new Secret("pw-" + System.nanoTime()))))) {
            dev.opsctl.target.TargetException e = org.junit.jupiter.api.Assertions.assertThrows(dev.opsctl.target.TargetException.class,
                    () -> {
                        var r = t.exec(ExecRequest.of("test -e /nonexistent/stale.lock").withSudo(refused));
                        throw new AssertionError("judged as the command's: exit " + r.exitCode() + ", stderr '" + r.stderr() + "'");
                    });
            assertTrue(e.notStarted(), e.getMessage());
            assertEquals(dev.opsctl.target.TargetException.Kind.REMOTE_FAILED, e.kind());
            assertTrue(e.getMessage().startsWith("sudo on host 'web1' refused to run the command as 'opsctl-no-such-user': '"),
                    e.getMessage());
        }
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        var ran = t.exec(ExecRequest.of("echo err >&2; test -e /nonexistent/stale.lock").withSudo(Sudo.as("nobody", Optional.empty()))
                .withListener((stream, line) -> lines.add(line)));
        assertEquals(1, ran.exitCode());
        assertEquals("err\n", ran.stderr());
        assertEquals(List.of("err"), lines);
    }

    @Test
    void rootNeedsNoSudo() {
        Sudo sudo = Sudo.withPassword(new Secret("pa55word"));
        assertEquals(List.of("/bin/sh", "-c", "true"), LocalCommand.of("true", sudo, true, Map.of(), Optional.empty()).argv());
        assertEquals(Optional.empty(), LocalCommand.stdin(Optional.empty(), sudo, true, Map.of("A", "1")));
    }

    @Test
    void asRootASymlinkAtTheDestinationInADirectoryOthersCanWriteIsReplacedNotFollowed() throws Exception {
        assumeTrue(new LocalTarget().root(), "needs root");
        Path canary = Files.writeString(tmp.resolve("canary"), "root's\n");
        Files.setPosixFilePermissions(canary, PosixFilePermissions.fromString("rw-------"));
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setOwner(shared, shared.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        Path link = Files.createSymbolicLink(shared.resolve("app.conf"), canary);
        new LocalTarget().put(link.toString(), "nobody's\n".getBytes(StandardCharsets.UTF_8),
                new FileAttrs(Optional.empty(), Optional.of("nobody"), Optional.empty(), Sudo.NONE));
        assertEquals("root's\n", Files.readString(canary));
        assertEquals(0, Files.getAttribute(canary, "unix:uid"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(canary)));
        assertFalse(Files.isSymbolicLink(link));
        assertEquals("nobody's\n", Files.readString(link));
        assertEquals("nobody", Files.getOwner(link, LinkOption.NOFOLLOW_LINKS).getName());
    }

    /**
     * A user who owns the directory swaps every name opsctl makes there (temporary file or private
     * directory) for a symlink to a root-owned file while root writes, 150 times. Writes
     * may fail; the linked file must never change.
     */
    @Test
    void asRootAUserSwappingNamesInTheDirectoryDuringWritesNeverReachesALinkedFile() throws Exception {
        assumeTrue(new LocalTarget().root(), "needs root");
        // reachable by nobody, unlike @TempDir (0700)
        Path top = Files.createTempDirectory(Path.of("/tmp"), "opsctl-swap-");
        try {
            Files.setPosixFilePermissions(top, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path canary = Files.writeString(top.resolve("canary"), "root's\n");
            Files.setPosixFilePermissions(canary, PosixFilePermissions.fromString("rw-------"));
            Path shared = Files.createDirectory(top.resolve("shared"));
            Files.setOwner(shared, shared.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
            String swapper = "cd " + shared + " || exit 1\n"
                    + "while [ ! -e " + top.resolve("stop") + " ]; do\n"
                    + "  for f in .app.conf.*; do\n"
                    + "    case $f in *.moved*) continue;; esac\n"
                    + "    [ -L \"$f\" ] && continue\n"
                    + "    if [ -d \"$f\" ]; then mv \"$f\" \"$f.moved\" 2>/dev/null && ln -s " + top + " \"$f\" 2>/dev/null;\n"
                    + "    elif [ -e \"$f\" ]; then rm -f \"$f\" 2>/dev/null && ln -s " + canary + " \"$f\" 2>/dev/null; fi\n"
                    + "  done\n"
                    + "done\n";
            Process attacker = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh", "-c", swapper)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            byte[] content = new byte[256 * 1024];
            LocalTarget target = new LocalTarget();
            try {
                for (int i = 0; i < 150; i++) {
                    try {
                        target.put(shared.resolve("app.conf").toString(), content,
                                new FileAttrs(Optional.of(0666), Optional.of("nobody"), Optional.empty(), Sudo.NONE));
                    } catch (dev.opsctl.target.TargetException e) {
                        // the swap made the write fail: that is allowed, writing elsewhere is not
                    }
                }
            } finally {
                Files.writeString(top.resolve("stop"), "");
                attacker.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                attacker.destroyForcibly();
            }
            assertEquals("root's\n", Files.readString(canary));
            assertEquals(0, Files.getAttribute(canary, "unix:uid"));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(canary)));
            assertEquals(List.of("canary", "shared", "stop"), names(top));
        } finally {
            dev.opsctl.testsupport.TestDirs.delete(top);
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
