package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The launcher script as an operator runs it: a fresh process, the packaged jar, the CDS archive. */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("cli/opsctl").toAbsolutePath();

    private record Result(int code, String out, String err) {
        String dump() {
            return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err + "---";
        }
    }

    private static Result launch(String... args) throws IOException, InterruptedException {
        return launch(java.util.Map.of(), args);
    }

    /** With {@code env} non-empty the launcher gets exactly that environment (plus PATH and HOME). */
    private static Result launch(java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = LAUNCHER.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Path out = Files.createTempFile("opsctl-out", ".txt");
        Path err = Files.createTempFile("opsctl-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (!env.isEmpty()) {
                String path = System.getenv("PATH");
                String home = System.getenv("HOME");
                pb.environment().clear();
                pb.environment().put("PATH", path);
                pb.environment().put("HOME", home);
                pb.environment().putAll(env);
            }
            Process p = pb.start();
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "launcher did not finish in 5 minutes");
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void launcherIsExecutable() {
        assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + " must be executable");
    }

    @Test
    void versionPrintsTheProjectVersionAndExitsZero() throws Exception {
        Result r = launch("--version");
        assertEquals(0, r.code(), r.dump());
        assertTrue(r.out().matches("(?s)opsctl \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\njava .*"), r.dump());
    }

    @Test
    void usageErrorsExitTwoThroughTheLauncher() throws Exception {
        Result r = launch("validate");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().contains("try 'opsctl validate --help'"), r.dump());
    }

    @Test
    void nonAsciiRunbookTextReachesTheShellIntactUnderAPosixLocale(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // cron and CI run with LC_ALL=C or no locale at all: the JVM would encode argv as ASCII
        Path out = dir.resolve("out.txt");
        Path runbook = dir.resolve("utf8.yaml");
        Files.writeString(runbook, """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: utf8}
                steps:
                  - shell: "printf '%s' 'ロールバック — µs' > '""" + out + """
                '"
                """, StandardCharsets.UTF_8);
        Result r = launch(java.util.Map.of("LC_ALL", "C"), "run", runbook.toString(), "--yes", "--state-dir", dir.resolve("state").toString());
        assertEquals(0, r.code(), r.dump());
        assertEquals("ロールバック — µs", Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void aCompilerChoiceInJavaOptionsStillStarts() throws Exception {
        // _JAVA_OPTIONS comes after the launcher's flags: full tiered compilation needs two compiler threads
        Result r = launch(java.util.Map.of("_JAVA_OPTIONS", "-XX:TieredStopAtLevel=4"), "--version");
        assertEquals(0, r.code(), r.dump());
        assertTrue(r.out().startsWith("opsctl "), r.dump());
    }
}
