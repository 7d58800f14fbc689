package dev.opsctl;

import dev.opsctl.cli.CliEnv;
import dev.opsctl.cli.Launch;
import java.io.PrintStream;

/** Process entry: builds the command line, runs it, exits with the mapped code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs one command line to completion and returns its exit code; never exits the JVM. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(CliEnv.system(out, err), args);
    }

    /** As {@link #run(PrintStream, PrintStream, String...)}, with a given environment (tests). */
    public static int run(CliEnv env, String... args) {
        return Launch.execute(env, args);
    }
}
