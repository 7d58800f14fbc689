package dev.opsctl.cli;

import dev.opsctl.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** One command line run in-process: exit code and both streams, printed together when an assertion fails. */
record CliResult(int code, String out, String err) {
    static CliResult run(String... args) {
        return run(Map.of("TERM", "dumb"), Path.of("").toAbsolutePath(), args);
    }

    static CliResult run(Map<String, String> env, Path workingDir, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int code = Main.run(new CliEnv(o, e, env, workingDir, false), args);
            return new CliResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** For assertion messages: everything the command printed. */
    String dump() {
        return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err + "---";
    }
}
