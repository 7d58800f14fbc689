package dev.opsctl.target;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every target that runs commands and moves files must have. A subclass provides
 * the target and an empty, writable directory on it; every path used lives under that directory.
 */
public abstract class TargetContract {
    protected Target target;
    protected String dir;

    /** A fresh target; closed after each test. */
    protected abstract Target newTarget() throws Exception;

    /** An empty directory on the target (absolute path), writable by the connecting user. */
    protected abstract String newTempDir() throws Exception;

    @BeforeEach
    void openTarget() throws Exception {
        target = newTarget();
        dir = newTempDir();
    }

    @AfterEach
    void closeTarget() {
        if (target != null) {
            target.close();
        }
    }

    protected ExecResult sh(String command) throws Exception {
        return target.exec(ExecRequest.of(command).withTimeout(Duration.ofSeconds(60)));
    }

    protected String path(String name) {
        return dir + "/" + name;
    }

    @Test
    void reportsExitCodes() throws Exception {
        assertEquals(0, sh("true").exitCode());
        assertEquals(1, sh("false").exitCode());
        ExecResult r = sh("exit 3");
        assertEquals(3, r.exitCode());
        assertFalse(r.ok());
        assertFalse(r.timedOut());
    }

    @Test
    void keepsStdoutAndStderrApart() throws Exception {
        ExecResult r = sh("echo to-out; echo to-err >&2; echo more-out");
        assertEquals("to-out\nmore-out\n", r.stdout());
        assertEquals("to-err\n", r.stderr());
        assertEquals("to-err", r.lastLine());
    }

    @Test
    void reportsAShellKilledByASignalAs128PlusItsNumber() throws Exception {
        assertEquals(143, sh("kill -TERM $$").exitCode());
        assertEquals(137, sh("kill -KILL $$").exitCode());
        assertEquals(130, sh("sh -c 'kill -INT $$'").exitCode(), "a child's death by a signal, as sh reports it");
    }

    @Test
    void keepsOutputWithoutATrailingNewlineAndEmptyOutputAsTheyAre() throws Exception {
        ExecResult r = sh("printf out; printf err >&2");
        assertEquals("out", r.stdout());
        assertEquals("err", r.stderr());
        ExecResult none = sh("true");
        assertEquals("", none.stdout());
        assertEquals("", none.stderr());
    }

    @Test
    void replacesOutputThatIsNotUtf8TheSameWay() throws Exception {
        assertEquals("\uFFFDx\n", sh("printf '\\377x\\n'").stdout());
    }

    /** The same language as the local target's /bin/sh, with sudo or without: not the login user's shell. */
    @Test
    void runsTheCommandInShWithAndWithoutSudo() throws Exception {
        String command = "echo 'a\\nb'; x='1 2'; for w in $x; do echo \"[$w]\"; done";
        String expected = "a\nb\n[1]\n[2]\n";
        assertEquals(expected, sh(command).stdout());
        if (canSudo()) {
            assertEquals(expected, target.exec(ExecRequest.of(command).withSudo(Sudo.ROOT)).stdout());
        }
    }

    /** A command that sends its output elsewhere (exec >/var/log/deploy.log 2>&1) is waited for until it exits. */
    @Test
    void waitsForACommandThatClosedItsOutputUntilItExits() throws Exception {
        ExecResult r = sh("echo start; exec >/dev/null 2>&1; sleep 6; exit 3");
        assertEquals(3, r.exitCode(), r.stderr());
        assertEquals("start\n", r.stdout());
        assertFalse(r.timedOut());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(6)) >= 0, "took " + r.elapsed());
    }

    @Test
    void timeoutStopsACommandThatClosedItsOutput() throws Exception {
        String pidFile = path("quiet.pid");
        ExecResult r = target.exec(ExecRequest.of("exec >/dev/null 2>&1; sleep 300 & echo $! > " + pidFile + "; wait")
                .withTimeout(Duration.ofSeconds(2)));
        assertTrue(r.timedOut(), "exit " + r.exitCode());
        assertFalse(r.leftRunning());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(30)) < 0, "took " + r.elapsed());
        String pid = new String(target.get(pidFile, false), StandardCharsets.UTF_8).strip();
        assertTrue(gone(pid), "process " + pid + " still runs after the timeout");
    }

    @Test
    void runsThroughAShellSoPipesWork() throws Exception {
        assertEquals("3\n", sh("printf 'a\\nb\\nc\\n' | wc -l | tr -d ' '").stdout());
    }

    @Test
    void capturesLargeOutputCompletely() throws Exception {
        int size = 10 * 1024 * 1024;
        ExecResult r = sh("head -c " + size + " /dev/zero | tr '\\0' 'a'; echo done >&2");
        assertEquals(0, r.exitCode());
        assertEquals(size, r.stdout().length());
        assertTrue(r.stdout().chars().allMatch(c -> c == 'a'));
        assertEquals("done\n", r.stderr());
        assertFalse(r.truncated());
    }

    @Test
    void capsOutputBeyondTheCaptureLimitAndSaysSo() throws Exception {
        ExecResult r = sh("head -c " + (ExecResult.MAX_CAPTURE + 4096) + " /dev/zero | tr '\\0' 'b'");
        assertEquals(0, r.exitCode());
        assertTrue(r.truncated());
        assertEquals(ExecResult.MAX_CAPTURE, r.stdout().length());
    }

    @Test
    void feedsStdinAndClosesIt() throws Exception {
        ExecResult r = target.exec(ExecRequest.of("cat").withStdin("hello\nworld\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("hello\nworld\n", r.stdout());
    }

    @Test
    void withoutStdinTheCommandSeesEndOfInput() throws Exception {
        ExecResult r = target.exec(ExecRequest.of("wc -c | tr -d ' '").withTimeout(Duration.ofSeconds(30)));
        assertFalse(r.timedOut());
        assertEquals("0\n", r.stdout());
    }

    @Test
    void feedsLargeStdinWhileTheCommandWritesLargeOutput() throws Exception {
        byte[] input = new byte[5 * 1024 * 1024];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) ('a' + i % 26);
        }
        ExecResult r = target.exec(ExecRequest.of("cat").withStdin(input).withTimeout(Duration.ofSeconds(60)));
        assertEquals(0, r.exitCode());
        assertEquals(new String(input, StandardCharsets.UTF_8), r.stdout());
    }

    /**
     * A command that ends without reading its input (a refused sudo, a failed redirection) ends the
     * call at once, its input dropped: over SSH the connection stalled for 30 s.
     */
    @Test
    void aCommandThatEndsWithoutReadingItsInputEndsTheCallAtOnce() throws Exception {
        byte[] input = new byte[5 * 1024 * 1024];
        ExecResult r = target.exec(ExecRequest.of("exit 3").withStdin(input).withTimeout(Duration.ofSeconds(60)));
        assertEquals(3, r.exitCode());
        assertFalse(r.timedOut());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(10)) < 0, "took " + r.elapsed());
        assertEquals("ok\n", sh("echo ok").stdout());
    }

    @Test
    void passesEnvironmentVariables() throws Exception {
        ExecResult r = target.exec(ExecRequest.of("printf '%s|%s' \"$OPSCTL_A\" \"$OPSCTL_B\"")
                .withEnv(Map.of("OPSCTL_A", "one two", "OPSCTL_B", "it's")));
        assertEquals("one two|it's", r.stdout());
    }

    /**
     * Any value byte for byte (empty, newlines, quotes, non-ASCII), with sudo or without; the input
     * after the environment untouched, and end of input without any.
     */
    @Test
    void passesAnyEnvironmentValueAndLeavesTheInputAsItIs() throws Exception {
        Map<String, String> env = EnvOnStdinTest.AWKWARD;
        byte[] input = "line one\n\nno newline".getBytes(StandardCharsets.UTF_8);
        for (boolean sudo : sudoModes()) {
            ExecRequest r = ExecRequest.of(EnvOnStdinTest.print(env) + "echo ---; cat").withEnv(env).withSudo(sudo ? Sudo.ROOT : Sudo.NONE)
                    .withTimeout(Duration.ofSeconds(60));
            ExecResult withInput = target.exec(r.withStdin(input));
            assertEquals(EnvOnStdinTest.printed(env) + "---\nline one\n\nno newline", withInput.stdout(), "sudo " + sudo + ": " + withInput.stderr());
            ExecResult without = target.exec(r);
            assertEquals(EnvOnStdinTest.printed(env) + "---\n", without.stdout(), "sudo " + sudo + ": " + without.stderr());
            assertEquals(0, without.exitCode(), "sudo " + sudo);
        }
    }

    /**
     * A value, a secret maybe, is in no process's arguments on the host while the command runs (any
     * user reads them: ps, /proc/PID/cmdline), with sudo or without: not sudo's, not the shell's.
     */
    @Test
    void anEnvironmentValueIsInNoProcessArgumentsOnTheHost() throws Exception {
        String secret = "s3cret-" + Long.toHexString(new Random().nextLong());
        for (boolean sudo : sudoModes()) {
            ExecResult r = target.exec(ExecRequest.of("cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' '; echo; echo \"length ${#OPSCTL_SECRET}\"")
                    .withEnv(Map.of("OPSCTL_SECRET", secret)).withSudo(sudo ? Sudo.ROOT : Sudo.NONE).withTimeout(Duration.ofSeconds(60)));
            assertTrue(r.stdout().contains("cat /proc/"), "the process list was read, sudo " + sudo + ": " + r.stderr());
            assertTrue(r.stdout().endsWith("length " + secret.length() + "\n"), "the command has the value, sudo " + sudo);
            assertFalse(r.stdout().contains(secret), "the value is on a command line, sudo " + sudo + ": " + r.stdout());
        }
    }

    @Test
    void timeoutKillsTheCommandAndEverythingItStarted() throws Exception {
        String pidFile = path("child.pid");
        ExecResult r = target.exec(ExecRequest.of("sleep 300 & echo $! > " + pidFile + "; wait")
                .withTimeout(Duration.ofSeconds(1)));
        assertTrue(r.timedOut());
        assertEquals(-1, r.exitCode());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(30)) < 0, "took " + r.elapsed());
        String pid = new String(target.get(pidFile, false), StandardCharsets.UTF_8).strip();
        assertTrue(pid.matches("\\d+"), pid);
        assertTrue(gone(pid), "process " + pid + " still runs after the timeout");
    }

    private boolean gone(String pid) throws Exception {
        for (int i = 0; i < 50; i++) {
            if (sh("kill -0 " + pid + " 2>/dev/null").exitCode() != 0) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void putWritesContentAndModeAtomically() throws Exception {
        String p = path("app.conf");
        target.put(p, "key=value\n".getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0640));
        assertEquals("key=value\n", new String(target.get(p, false), StandardCharsets.UTF_8));
        FileInfo info = target.stat(p, false).orElseThrow();
        assertEquals(0640, info.mode(), Integer.toOctalString(info.mode()));
        assertEquals(10, info.size());
        assertFalse(info.directory());
        assertEquals("app.conf\n", sh("ls -A " + dir).stdout(), "no temporary file left behind");
    }

    @Test
    void putReplacesAnExistingFile() throws Exception {
        String p = path("replace.txt");
        target.put(p, "old content that is longer\n".getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0600));
        target.put(p, "new\n".getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0644));
        assertEquals("new\n", new String(target.get(p, false), StandardCharsets.UTF_8));
        assertEquals(0644, target.stat(p, false).orElseThrow().mode());
    }

    @Test
    void putKeepsTheModeOfTheFileItReplacesWhenNoneIsGiven() throws Exception {
        String p = path("keep-mode.txt");
        target.put(p, "a".getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0600));
        target.put(p, "b".getBytes(StandardCharsets.UTF_8), FileAttrs.DEFAULT);
        assertEquals(0600, target.stat(p, false).orElseThrow().mode());
    }

    @Test
    void putIntoAMissingDirectoryFails() {
        TargetException e = assertThrows(TargetException.class,
                () -> target.put(path("no/such/dir/file"), new byte[] {1}, FileAttrs.DEFAULT));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
    }

    @Test
    void getReturnsBinaryContentUnchanged() throws Exception {
        byte[] content = new byte[256];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i;
        }
        String p = path("binary.bin");
        target.put(p, content, FileAttrs.DEFAULT);
        assertArrayEquals(content, target.get(p, false));
    }

    @Test
    void getOfAMissingFileFailsAsRemoteFailed() {
        TargetException e = assertThrows(TargetException.class, () -> target.get(path("missing"), false));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void statTellsMissingFilesAndDirectoriesApart() throws Exception {
        assertEquals(Optional.empty(), target.stat(path("nothing-here"), false));
        sh("mkdir " + path("sub"));
        assertTrue(target.stat(path("sub"), false).orElseThrow().directory());
    }

    @Test
    void statReportsOwnerAndGroupByIdAndName() throws Exception {
        String p = path("owned.txt");
        target.put(p, "x".getBytes(StandardCharsets.UTF_8), FileAttrs.DEFAULT);
        String[] id = sh("echo $(id -u) $(id -un) $(id -g) $(id -gn)").stdout().strip().split(" ");
        FileInfo info = target.stat(p, false).orElseThrow();
        assertEquals(new PosixId(Integer.parseInt(id[0]), id[1]), info.owner());
        assertEquals(new PosixId(Integer.parseInt(id[2]), id[3]), info.group());
        assertTrue(info.owner().is(id[0]) && info.owner().is(id[1]) && !info.owner().is("nobody"));
    }

    @Test
    void sudoStatNamesAnIdWithoutANameByItsNumber() throws Exception {
        assumeTrue(canSudo(), "needs root or passwordless sudo");
        String p = path("orphan.txt");
        target.put(p, "x".getBytes(StandardCharsets.UTF_8), FileAttrs.DEFAULT);
        assertEquals(0, target.exec(ExecRequest.of("chown 54321:54322 " + p).withSudo(Sudo.ROOT)).exitCode());
        FileInfo info = target.stat(p, true).orElseThrow();
        assertEquals(new PosixId(54321, "54321"), info.owner());
        assertEquals(new PosixId(54322, "54322"), info.group());
        assertEquals(info, target.stat(p, false).orElseThrow(), "the same answer with and without sudo");
    }

    @Test
    void sendsOutputLinesToTheListenerInOrder() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        ExecResult r = target.exec(ExecRequest.of("i=1; while [ $i -le 200 ]; do echo line$i; i=$((i+1)); done; echo oops >&2; printf tail")
                .withListener((stream, line) -> (stream == OutputListener.Stream.STDOUT ? lines : errors).add(line)));
        assertEquals(0, r.exitCode());
        List<String> expected = new ArrayList<>(IntStream.rangeClosed(1, 200).mapToObj(i -> "line" + i).toList());
        expected.add("tail");
        assertEquals(expected, lines);
        assertEquals(List.of("oops"), errors);
    }

    @Test
    void runsConcurrentCommandsIndependently() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<String> outputs = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            int n = i;
            threads.add(new Thread(() -> {
                try {
                    outputs.add(sh("sleep 0.2; echo " + n).stdout().strip());
                } catch (Exception e) {
                    outputs.add("error: " + e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7"), outputs.stream().sorted().toList());
    }

    /** True when sudo to root works without a prompt (or the target is root already). */
    protected boolean canSudo() throws Exception {
        return sh("[ \"$(id -u)\" = 0 ] || sudo -n true").exitCode() == 0;
    }

    @Test
    void sudoRunsAsRoot() throws Exception {
        assumeTrue(canSudo(), "needs root or passwordless sudo");
        ExecResult r = target.exec(ExecRequest.of("id -u").withSudo(Sudo.ROOT));
        assertEquals("0\n", r.stdout());
    }

    @Test
    void sudoWritesAndReadsFiles() throws Exception {
        assumeTrue(canSudo(), "needs root or passwordless sudo");
        String p = path("root-owned.conf");
        target.put(p, "secret=1\n".getBytes(StandardCharsets.UTF_8),
                new FileAttrs(Optional.of(0600), Optional.of("root"), Optional.of("root"), true));
        assertEquals("secret=1\n", new String(target.get(p, true), StandardCharsets.UTF_8));
        assertEquals(0600, target.stat(p, true).orElseThrow().mode());
        assertEquals("0:0\n", target.exec(ExecRequest.of("stat -c %u:%g " + p).withSudo(Sudo.ROOT)).stdout());
    }

    @Test
    void sudoReadsAFileLargerThanTheOutputCaptureWhole() throws Exception {
        assumeTrue(canSudo(), "needs root or passwordless sudo");
        byte[] content = new byte[ExecResult.MAX_CAPTURE + 4 * 1024 * 1024];
        new Random(11).nextBytes(content);
        String p = path("large.bin");
        target.put(p, content, new FileAttrs(Optional.of(0600), Optional.empty(), Optional.empty(), true));
        assertArrayEquals(content, target.get(p, true));
    }

    @Test
    void sudoKeepsTheEnvironment() throws Exception {
        assumeTrue(canSudo(), "needs root or passwordless sudo");
        ExecResult r = target.exec(ExecRequest.of("echo \"$OPSCTL_X\"").withSudo(Sudo.ROOT).withEnv(Map.of("OPSCTL_X", "kept")));
        assertEquals("kept\n", r.stdout());
        assertNotEquals(-1, r.exitCode());
    }

    /** A group the connecting user belongs to besides its primary one. */
    protected abstract String supplementaryGroup();

    private String text(String p, boolean sudo) throws Exception {
        return new String(target.get(p, sudo), StandardCharsets.UTF_8);
    }

    private static FileAttrs asRoot(FileAttrs a) {
        return new FileAttrs(a.mode(), a.owner(), a.group(), true);
    }

    private void replacesASymlinkAndLeavesItsTargetAlone(boolean sudo) throws Exception {
        String real = path("real.conf");
        String link = path("link.conf");
        target.put(real, "old\n".getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0600));
        assertEquals(0, sh("ln -s " + real + " " + link).exitCode());
        FileAttrs attrs = sudo ? asRoot(FileAttrs.DEFAULT) : FileAttrs.DEFAULT;
        target.put(link, "new\n".getBytes(StandardCharsets.UTF_8), attrs);
        assertEquals(1, sh("[ -L " + link + " ]").exitCode(), "the link is replaced by a file");
        assertEquals("new\n", text(link, false));
        assertEquals("old\n", text(real, false), "the link's target is untouched");
        assertEquals(0600, target.stat(real, false).orElseThrow().mode());
        assertEquals(0644, target.stat(link, false).orElseThrow().mode(), "a link's target lends it no mode");
    }

    @Test
    void putReplacesASymlinkAtTheDestinationAndLeavesItsTargetAlone() throws Exception {
        replacesASymlinkAndLeavesItsTargetAlone(false);
    }

    @Test
    void sudoPutReplacesASymlinkAtTheDestinationAndLeavesItsTargetAlone() throws Exception {
        assumeTrue(canSudo(), "needs root or passwordless sudo");
        replacesASymlinkAndLeavesItsTargetAlone(true);
    }

    @Test
    void putOverADanglingSymlinkGivesTheNewFileMode0644() throws Exception {
        for (boolean sudo : sudoModes()) {
            String link = path("dangling-" + sudo);
            assertEquals(0, sh("ln -s " + path("nowhere") + " " + link).exitCode());
            target.put(link, "x".getBytes(StandardCharsets.UTF_8), sudo ? asRoot(FileAttrs.DEFAULT) : FileAttrs.DEFAULT);
            assertEquals("644\n", sh("stat -c %a " + link).stdout(), "sudo " + sudo);
            assertEquals(1, sh("[ -e " + path("nowhere") + " ]").exitCode(), "nothing written through the link");
        }
    }

    @Test
    void putSetsSetIdAndStickyBits() throws Exception {
        for (boolean sudo : sudoModes()) {
            String p = path("setuid-" + sudo);
            target.put(p, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), sudo ? asRoot(FileAttrs.mode(04755)) : FileAttrs.mode(04755));
            assertEquals("4755\n", sh("stat -c %a " + p).stdout(), "sudo " + sudo);
            assertEquals(04755, target.stat(p, false).orElseThrow().mode());
            target.put(p, "#!/bin/sh\n\n".getBytes(StandardCharsets.UTF_8), sudo ? asRoot(FileAttrs.DEFAULT) : FileAttrs.DEFAULT);
            assertEquals("4755\n", sh("stat -c %a " + p).stdout(), "kept when replaced, sudo " + sudo);
        }
    }

    @Test
    void sudoPutWithoutAModeKeepsASetIdBitOnlyWhileItsIdStays() throws Exception {
        assumeTrue(canSudo(), "needs root or passwordless sudo");
        String p = path("setid");
        byte[] content = "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8);
        FileAttrs setId = new FileAttrs(Optional.of(06755), Optional.of("root"), Optional.of("0"), true);
        target.put(p, content, setId);
        target.put(p, content, new FileAttrs(Optional.empty(), Optional.of("root"), Optional.of("0"), true));
        assertEquals("6755 0:0\n", sh("stat -c '%a %u:%g' " + p).stdout(), "same owner and group: both kept");
        target.put(p, content, new FileAttrs(Optional.empty(), Optional.of("root"), Optional.of("65534"), true));
        assertEquals("4755 0:65534\n", sh("stat -c '%a %u:%g' " + p).stdout(), "a new group drops setgid");
        target.put(p, content, setId);
        target.put(p, content, new FileAttrs(Optional.empty(), Optional.of("65534"), Optional.empty(), true));
        assertEquals("2755 65534:0\n", sh("stat -c '%a %u:%g' " + p).stdout(), "a new owner drops setuid");
    }

    @Test
    void putKeepsTheGroupOfTheFileItReplaces() throws Exception {
        String p = path("grouped.conf");
        target.put(p, "a".getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0640));
        ExecResult chgrp = sh("chgrp " + supplementaryGroup() + " " + p);
        assertEquals(0, chgrp.exitCode(), chgrp.stderr());
        target.put(p, "b".getBytes(StandardCharsets.UTF_8), FileAttrs.DEFAULT);
        assertEquals(supplementaryGroup() + " 640\n", sh("stat -c '%G %a' " + p).stdout());
    }

    @Test
    void putWithoutAModeDropsSetgidWhenTheGroupChanges() throws Exception {
        String p = path("setgid");
        target.put(p, "a".getBytes(StandardCharsets.UTF_8), FileAttrs.mode(02755));
        target.put(p, "a".getBytes(StandardCharsets.UTF_8),
                new FileAttrs(Optional.empty(), Optional.empty(), Optional.of(supplementaryGroup()), Sudo.NONE));
        assertEquals(supplementaryGroup() + " 755\n", sh("stat -c '%G %a' " + p).stdout());
    }

    @Test
    void putGivesAGroupTheWritingUserBelongsTo() throws Exception {
        String p = path("given-group.conf");
        target.put(p, "a".getBytes(StandardCharsets.UTF_8),
                new FileAttrs(Optional.of(0640), Optional.empty(), Optional.of(supplementaryGroup()), Sudo.NONE));
        assertEquals(supplementaryGroup() + " 640\n", sh("stat -c '%G %a' " + p).stdout());
    }

    @Test
    void anInterruptedSudoPutLeavesNothingBehind() throws Exception {
        assumeTrue(canSudo(), "needs root or passwordless sudo");
        java.util.Set<String> uploadsBefore = uploads();
        byte[] content = new byte[48 * 1024 * 1024];
        for (long delay : new long[] {30, 200, 600, 1500}) {
            String p = path("interrupted-" + delay);
            java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    target.put(p, content, asRoot(FileAttrs.mode(0600)));
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.start();
            Thread.sleep(delay);
            t.interrupt();
            t.join(60_000);
            assertFalse(t.isAlive());
            assertEquals("", sh("ls -A " + dir + " | grep opsctl || true").stdout(), "after " + delay + " ms: " + thrown.get());
        }
        java.util.Set<String> left = new java.util.TreeSet<>(uploads());
        for (int i = 0; i < 50 && !left.isEmpty(); i++) {
            // another build's upload on this machine comes and goes; ours would stay
            Thread.sleep(100);
            left.retainAll(uploads());
            left.removeAll(uploadsBefore);
        }
        left.removeAll(uploadsBefore);
        assertEquals(java.util.Set.of(), left, "uploads left in /tmp");
    }

    private java.util.Set<String> uploads() throws Exception {
        return new java.util.HashSet<>(sh("ls -A /tmp | grep '^.opsctl-upload' || true").stdout().lines().toList());
    }

    private List<Boolean> sudoModes() throws Exception {
        return canSudo() ? List.of(false, true) : List.of(false);
    }
}
