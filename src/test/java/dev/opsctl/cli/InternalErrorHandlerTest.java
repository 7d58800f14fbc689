package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class InternalErrorHandlerTest {
    @Command(name = "boom")
    static final class Boom implements Runnable {
        @Option(names = "--debug")
        boolean debug;

        @Option(names = "--usage")
        boolean usage;

        @Override
        public void run() {
            if (usage) {
                throw new UsageException("no inventory 'x.ini'", "give -i a file that exists");
            }
            throw new IllegalStateException("state went sideways");
        }
    }

    private static String[] run(int expected, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new Boom());
        cmd.setErr(new PrintWriter(err, true));
        cmd.setExecutionExceptionHandler(new InternalErrorHandler(CliEnvs.quiet()));
        int code = cmd.execute(args);
        assertEquals(expected, code, err.toString());
        return new String[] {err.toString()};
    }

    @Test
    void unexpectedExceptionIsCalledABugAndExitsSeventyWithoutStackTrace() {
        String err = run(70)[0];
        assertTrue(err.startsWith("internal error: IllegalStateException: state went sideways (this is a bug; rerun with --debug"), err);
        assertFalse(err.contains("\tat "), err);
    }

    @Test
    void debugAddsTheStackTrace() {
        String err = run(70, "--debug")[0];
        assertTrue(err.contains("\tat dev.opsctl.cli.InternalErrorHandlerTest$Boom.run"), err);
    }

    @Test
    void usageExceptionIsOneLineWithHintAndExitsTwo() {
        String err = run(2, "--usage")[0];
        assertEquals("error: no inventory 'x.ini'\n  hint: give -i a file that exists\n", err.replace("\r\n", "\n"));
    }
}
