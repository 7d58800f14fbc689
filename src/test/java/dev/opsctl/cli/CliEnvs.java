package dev.opsctl.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** Environments for tests that need a command tree but no output. */
final class CliEnvs {
    private CliEnvs() {}

    static CliEnv quiet() {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        return new CliEnv(nowhere, nowhere, Map.of(), Path.of("").toAbsolutePath(), false);
    }
}
