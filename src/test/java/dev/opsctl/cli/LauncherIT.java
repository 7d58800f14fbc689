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
        String[] cmd = new String[args.length + 1];
        cmd[0] = LAUNCHER.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Path out = Files.createTempFile("opsctl-out", ".txt");
        Path err = Files.createTempFile("opsctl-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
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
}
