package dev.opsctl.target.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.EnvOnStdin;
import dev.opsctl.target.EnvOnStdinTest;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.Sudo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The command lines of {@link RemoteCommand} and {@link GroupSignal}, run by the shells a login may have. */
class RemoteCommandTest {
    private static final String MARK = "[opsctl-mark:0123456789abcdef]";

    private record Ran(long pid, String stdout, String stderr) {}

    /** {@code line} run as sshd runs a command: by the login shell, leading a session of its own. */
    private static Ran run(List<String> shell, String line) throws Exception {
        return run(shell, line, new byte[0]);
    }

    private static Ran run(List<String> shell, String line, byte[] stdin) throws Exception {
        List<String> argv = new ArrayList<>(List.of("setsid"));
        argv.addAll(shell);
        argv.addAll(List.of("-c", line));
        Process p = new ProcessBuilder(argv).start();
        CompletableFuture.runAsync(() -> {
            try (java.io.OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            } catch (java.io.IOException e) {
                // the shell did not read it all: the output says what it saw
            }
        });
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        p.waitFor(10, TimeUnit.SECONDS);
        return new Ran(p.pid(), out, err.get());
    }

    private static String build(ExecRequest r, boolean reportGroup) {
        return RemoteCommand.build(r, EnvOnStdin.of(r.env()), MARK, reportGroup);
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<List<String>> loginShells() {
        List<List<String>> shells = new ArrayList<>(List.of(List.of("/bin/sh"), List.of("/bin/bash")));
        for (String s : List.of("/bin/busybox", "/usr/bin/tcsh", "/usr/bin/fish", "/usr/bin/zsh", "/usr/bin/mksh", "/bin/ksh93")) {
            if (Files.isExecutable(Path.of(s))) {
                shells.add(s.endsWith("busybox") ? List.of(s, "sh") : List.of(s));
            } else if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(s + " is missing and CI=true: cli/opsctl-test installs it");
            }
        }
        return shells;
    }

    @Test
    void aLoginShellOfAnyKindReportsItsProcessGroupAndRunsTheCommand() throws Exception {
        for (List<String> shell : loginShells()) {
            Ran r = run(shell, build(ExecRequest.of("echo hello"), true));
            assertEquals("hello\n", r.stdout(), shell + ": " + r.stderr());
            assertEquals(MARK + "!" + MARK + "#" + r.pid() + "\n", r.stderr(), shell + ": it started, and the login shell leads the session's group");
        }
    }

    /**
     * The command means what it means on the local target, /bin/sh's language, whatever the login
     * shell: bash's echo leaves "\n" as it is and knows [[ ]], and zsh does not split $x.
     */
    @Test
    void theCommandRunsInShWhateverTheLoginShellIs() throws Exception {
        String command = "echo 'a\\nb'; x='1 2'; for w in $x; do echo \"[$w]\"; done; [[ 1 ]] 2>/dev/null || echo no-brackets";
        String local = run(List.of("/bin/sh"), command).stdout();
        assertEquals("a\nb\n[1]\n[2]\nno-brackets\n", local, "/bin/sh here is dash");
        for (List<String> shell : loginShells()) {
            for (Sudo sudo : List.of(Sudo.NONE, Sudo.ROOT)) {
                ExecRequest request = ExecRequest.of(command).withSudo(sudo);
                assertEquals(local, run(shell, build(request, false)).stdout(), shell + " " + sudo);
                assertEquals(local, run(shell, build(request, true)).stdout(), shell + " " + sudo);
            }
        }
    }

    /**
     * A command of many lines, or with a '!', means what it means to /bin/sh whatever the login shell:
     * csh runs each line of its -c on its own (the first line's quote unmatched, the next ones in csh,
     * outside sudo) and expands '!' even in single quotes.
     */
    @Test
    void aCommandOfManyLinesOrWithABangMeansTheSameWhateverTheLoginShell() throws Exception {
        String command = "echo one\necho 'it''s' \"[$HOME]\" | tr -d /\nprintf '%s|%s\\n' 'a\\b' x! \\\n  'y!z'"
                + "\ncat <<EOF\nhere \\ \\n $((1 + 1)) \u00e9\nEOF\n! false && echo bang! \"!\"\n\n";
        String local = run(List.of("/bin/sh"), command).stdout();
        assertEquals("one\nits [" + System.getProperty("user.home").replace("/", "") + "]\na\\b|x!\ny!z|\nhere \\ \\n 2 \u00e9\nbang! !\n", local,
                "/bin/sh here is dash");
        for (List<String> shell : loginShells()) {
            for (Sudo sudo : List.of(Sudo.NONE, Sudo.ROOT)) {
                ExecRequest request = ExecRequest.of(command).withSudo(sudo);
                Ran r = run(shell, build(request, false));
                assertEquals(local, r.stdout(), shell + " " + sudo + ": " + r.stderr());
                assertEquals("", r.stderr(), shell + " " + sudo);
                assertEquals(local, run(shell, build(request, true)).stdout(), shell + " " + sudo);
            }
        }
    }

    /**
     * A command of one line with backslashes means what it means to /bin/sh whatever the login shell:
     * fish reads {@code \\} and {@code \'} as escapes even in single quotes, so {@code 'a\\b'} reached sh
     * as {@code 'a\b'}, and a backslash before a quote (or at the end) left the quote unmatched.
     */
    @Test
    void aCommandOfOneLineWithBackslashesMeansTheSameWhateverTheLoginShell() throws Exception {
        String printf = "printf '%s|' 'a\\\\b' 'c\\' \\\\ \"d\\\\\\\"\" 'e\\\\\\'; echo";
        assertEquals("a\\\\b|c\\|\\|d\\\"|e\\\\\\|\n", run(List.of("/bin/sh"), printf).stdout());
        for (String command : List.of(printf, "echo x\\")) {
            String local = run(List.of("/bin/sh"), command).stdout();
            for (List<String> shell : loginShells()) {
                for (Sudo sudo : List.of(Sudo.NONE, Sudo.ROOT)) {
                    Ran r = run(shell, build(ExecRequest.of(command).withSudo(sudo), true));
                    assertEquals(local, r.stdout(), shell + " " + sudo + ": " + r.stderr());
                }
            }
        }
    }

    /**
     * The login shell gets the command line as one argument, which Linux takes up to 128 KiB: a long
     * script of many lines that fitted as it was must not be pushed over by its encoding (each
     * newline as "\\0012" was four bytes more: a 120 KB script of 2,800 lines failed "/bin/sh:
     * Argument list too long").
     */
    @Test
    void aScriptOfManyLinesGrowsByAByteALineWhenMadeOneLine() throws Exception {
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            script.append("echo ").append(i).append('\n');
        }
        String line = RemoteCommand.oneLine(script.toString());
        assertEquals(-1, line.indexOf('\n'));
        assertTrue(line.length() <= script.length() + 1000 + 80, "grew by " + (line.length() - script.length()));
        for (List<String> shell : loginShells()) {
            assertEquals(run(List.of("/bin/sh"), script.toString()).stdout(), run(shell, "exec /bin/sh -c "
                    + RemoteCommand.quote(line)).stdout(), shell.toString());
        }
    }

    /**
     * The environment comes on stdin, ahead of the input, with sudo or without and whatever the login
     * shell: every value byte for byte, the input untouched, and none of it on the command line.
     */
    @Test
    void theEnvironmentArrivesOnStdinAheadOfTheInputWhateverTheLoginShell() throws Exception {
        Map<String, String> env = EnvOnStdinTest.AWKWARD;
        String command = EnvOnStdinTest.print(env) + "echo ---; cat";
        byte[] input = "line one\n\nno newline".getBytes(UTF_8);
        for (List<String> shell : loginShells()) {
            for (Sudo sudo : List.of(Sudo.NONE, Sudo.ROOT)) {
                ExecRequest request = ExecRequest.of(command).withSudo(sudo).withEnv(env).withStdin(input);
                EnvOnStdin block = EnvOnStdin.of(env);
                String line = RemoteCommand.build(request, block, MARK, true);
                for (String value : env.values()) {
                    assertFalse(value.length() > 2 && line.contains(value), "on the command line: " + value);
                }
                Ran r = run(shell, line, block.before(request.stdin()).orElseThrow());
                assertEquals(EnvOnStdinTest.printed(env) + "---\nline one\n\nno newline", r.stdout(), shell + " " + sudo + ": " + r.stderr());
            }
        }
    }

    /** Builtins only: the login shell execs sh, which reads its group itself and leaves no variable behind. */
    @Test
    void theProcessGroupIsReportedWithBuiltinsAndLeavesNoVariableBehind() throws Exception {
        for (List<String> shell : loginShells()) {
            String line = build(ExecRequest.of("echo \"[$opsctl_g$opsctl_x]\"; echo hello"), true);
            Ran r = run(shell, line);
            assertEquals("[]\nhello\n", r.stdout(), shell + ": " + r.stderr());
            assertEquals(MARK + "!" + MARK + "#" + r.pid() + "\n", r.stderr(), shell.toString());
        }
    }

    @Test
    void underSudoTheReportLeavesNothingInTheCommandsShell() throws Exception {
        Ran r = run(List.of("/bin/sh"), build(ExecRequest.of("echo \"g=$g\"").withSudo(Sudo.ROOT), true));
        assertEquals("g=\n", r.stdout(), "the report leaves no variable behind: " + r.stderr());
        assertEquals(1, r.stderr().lines().filter(l -> l.startsWith(MARK + "!" + MARK + "#")).count(), r.stderr());
    }

    /**
     * The start mark is written by the sh that runs the command, so sudo or a login shell that refuses to run it leaves none;
     * its '!' is not in the command line, which would make every command a script for oneLine to decode (a process more).
     */
    @Test
    void theStartIsMarkedByTheCommandsShellOnlyAndCostsNoProcess() throws Exception {
        String line = build(ExecRequest.of("test -e /nonexistent").withSudo(Sudo.ROOT), true);
        assertFalse(line.contains("!"), line);
        assertFalse(line.contains("opsctl_c="), "not encoded: " + line);
        Ran refused = run(List.of("/bin/sh"), build(ExecRequest.of("test -e /nonexistent").withSudo(Sudo.as("opsctl-no-such-user-x",
                java.util.Optional.empty())), true));
        assertFalse(refused.stderr().contains(MARK), refused.stderr());
        assertTrue(refused.stderr().contains("sudo: unknown user"), refused.stderr());
    }

    @Test
    void theGroupSignalSaysWhetherALiveProcessOfTheGroupIsThere() throws Exception {
        Process group = new ProcessBuilder("setsid", "sleep", "30").start();
        try {
            for (List<String> shell : loginShells()) {
                assertEquals("there\n", run(shell, build(ExecRequest.of(GroupSignal.script("0", group.pid())), false)).stdout(), shell.toString());
                assertEquals("gone\n", run(shell, build(ExecRequest.of(GroupSignal.script("0", 4_000_000L)), false)).stdout(), shell.toString());
            }
            run(List.of("/bin/sh"), GroupSignal.script("KILL", group.pid()));
            group.waitFor(5, TimeUnit.SECONDS);
            assertFalse(group.isAlive());
        } finally {
            group.destroyForcibly();
        }
        assertThrows(IllegalArgumentException.class, () -> GroupSignal.script("KILL", 1), "never every process");
        assertEquals(SshExec.Group.UNKNOWN, GroupSignal.answer(new ExecResult(1, "", "sudo: a password is required", Duration.ZERO, false, false)));
    }
}
