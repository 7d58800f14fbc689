package dev.opsctl.target;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link EnvOnStdin}'s script and block, run by the shells /bin/sh may be: dash, bash, BusyBox ash. */
public class EnvOnStdinTest {
    /** Values that a command line would have to quote, and a line-based block to get exactly right. */
    public static final Map<String, String> AWKWARD = Map.of(
            "OPSCTL_EMPTY", "",
            "OPSCTL_QUOTES", "it's \"q\" \\ $HOME `id` $(id) \\n",
            "OPSCTL_LINES", "a\nb\n\nc",
            "OPSCTL_NL", "\n",
            "OPSCTL_TRAILING", "two trailing\n\n",
            "OPSCTL_SPACES", "  lead\tand trail \r",
            "OPSCTL_UTF8", "日本語 é ✓",
            "OPSCTL_DASH", "-n");

    /** Each variable of {@code env}, bracketed, by name. */
    public static String printed(Map<String, String> env) {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(env).forEach((k, v) -> b.append(k).append("=[").append(v).append("]\n"));
        return b.toString();
    }

    /** A script writing each variable of {@code env} as {@link #printed} says, and which is not set at all. */
    public static String print(Map<String, String> env) {
        StringBuilder b = new StringBuilder();
        for (String n : new java.util.TreeSet<>(env.keySet())) {
            b.append("[ \"${").append(n).append("+set}\" = set ] || echo '").append(n).append(" unset'; printf '")
                    .append(n).append("=[%s]\\n' \"$").append(n).append("\"; ");
        }
        return b.toString();
    }

    private static List<List<String>> shells() {
        List<List<String>> shells = new ArrayList<>(List.of(List.of("/bin/sh"), List.of("/bin/bash")));
        if (Files.isExecutable(Path.of("/bin/busybox"))) {
            shells.add(List.of("/bin/busybox", "sh"));
        } else if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("/bin/busybox is missing and CI=true: cli/opsctl-test installs it");
        }
        return shells;
    }

    private record Ran(int code, String stdout, String stderr) {}

    private static Ran run(List<String> shell, String script, Optional<byte[]> stdin) throws Exception {
        List<String> argv = new ArrayList<>(shell);
        argv.addAll(List.of("-c", script));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().keySet().removeIf(k -> k.startsWith("OPSCTL_"));
        Process p = pb.start();
        CompletableFuture<Void> fed = CompletableFuture.runAsync(() -> {
            try (OutputStream in = p.getOutputStream()) {
                if (stdin.isPresent()) {
                    in.write(stdin.get());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p));
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        fed.get(10, TimeUnit.SECONDS);
        return new Ran(p.exitValue(), out, err.get());
    }

    private static String read(Process p) {
        try {
            return new String(p.getErrorStream().readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyValueArrivesByteForByteAndTheInputAfterItUntouched() throws Exception {
        EnvOnStdin env = EnvOnStdin.of(AWKWARD);
        byte[] input = "first line\n\nno newline at the end".getBytes(UTF_8);
        for (List<String> shell : shells()) {
            Ran r = run(shell, env.script() + print(AWKWARD) + "echo ---; cat", env.before(Optional.of(input)));
            assertEquals(printed(AWKWARD) + "---\n" + new String(input, UTF_8), r.stdout(), shell + ": " + r.stderr());
            assertEquals("", r.stderr(), shell.toString());
        }
    }

    @Test
    void withoutInputTheCommandSeesEndOfInputAndAReadLoopNeverTheBlock() throws Exception {
        EnvOnStdin env = EnvOnStdin.of(Map.of("OPSCTL_A", "x\ny"));
        for (List<String> shell : shells()) {
            Ran r = run(shell, env.script() + "n=0; while IFS= read -r l; do n=$((n + 1)); done; echo \"$n lines [$OPSCTL_A]\"",
                    env.before(Optional.empty()));
            assertEquals("0 lines [x\ny]\n", r.stdout(), shell + ": " + r.stderr());
        }
    }

    @Test
    void theScriptLeavesNoVariableOrFunctionBehind() throws Exception {
        EnvOnStdin env = EnvOnStdin.of(Map.of("OPSCTL_A", "a\nb"));
        for (List<String> shell : shells()) {
            Ran r = run(shell, env.script() + "set | grep -c '^opsctl_'; command -v opsctl_e opsctl_f || echo none",
                    env.before(Optional.empty()));
            assertEquals("0\nnone\n", r.stdout(), shell + ": " + r.stderr());
        }
    }

    @Test
    void aBlockCutShortFailsTheScriptBeforeTheCommandRuns() throws Exception {
        EnvOnStdin env = EnvOnStdin.of(Map.of("OPSCTL_A", "a\nb"));
        for (List<String> shell : shells()) {
            Ran r = run(shell, env.script() + "echo ran", Optional.of("2\na\n".getBytes(UTF_8)));
            assertEquals(125, r.code(), shell.toString());
            assertEquals("", r.stdout(), shell.toString());
            assertEquals("opsctl: the environment did not arrive on stdin\n", r.stderr(), shell.toString());
        }
    }

    @Test
    void noValueIsInTheScriptAndWhatNoEnvironmentCanHoldIsRefused() {
        EnvOnStdin env = EnvOnStdin.of(AWKWARD);
        for (String value : AWKWARD.values()) {
            if (value.length() > 2) {
                assertFalse(env.script().contains(value), value);
            }
        }
        assertFalse(env.script().contains("\n"), "one line: a csh login shell takes no other");
        assertEquals("", EnvOnStdin.of(Map.of()).script());
        assertEquals(Optional.empty(), EnvOnStdin.of(Map.of()).before(Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> EnvOnStdin.of(Map.of("A-B", "1")));
        assertThrows(IllegalArgumentException.class, () -> EnvOnStdin.of(Map.of("A", "x\0y")));
        // the script's own variables: one of the command's by that name would be overwritten by the next read, then unset
        for (String reserved : List.of("opsctl_n", "opsctl_v", "opsctl_l", "opsctl_s")) {
            assertThrows(IllegalArgumentException.class, () -> EnvOnStdin.of(Map.of(reserved, "1", "Z", "2")), reserved);
        }
    }

    /** Linux's MAX_ARG_STRLEN: 'NAME=value' and its NUL in 128 KiB, or every program the command starts fails. */
    @Test
    void aValueLongerThanLinuxTakesForOneEnvironmentStringIsRefusedWithoutQuotingIt() {
        String fits = "s".repeat(128 * 1024 - "A=".length() - 1);
        assertEquals(Optional.empty(), EnvOnStdin.problem(Map.of("A", fits)));
        String problem = EnvOnStdin.problem(Map.of("A", fits + "s")).orElseThrow();
        assertTrue(problem.startsWith("the value of environment variable 'A' is 131073 bytes with its name"), problem);
        assertFalse(problem.contains("sss"), problem);
        assertThrows(IllegalArgumentException.class, () -> EnvOnStdin.of(Map.of("A", fits + "s")));
    }
}
