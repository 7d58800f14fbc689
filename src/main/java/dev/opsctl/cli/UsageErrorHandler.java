package dev.opsctl.cli;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.source.DidYouMean;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Bad command lines: one line saying what is wrong, a did-you-mean when there is one, where help is; exit 2. */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        CommandSpec spec = cmd.getCommandSpec();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String word = u.getUnmatched().get(0);
            if (word.startsWith("-")) {
                err.println("error: unknown option '" + word + "' for '" + spec.qualifiedName() + "'");
                hint(err, word, optionNames(spec));
            } else if (!spec.subcommands().isEmpty()) {
                err.println("error: unknown command '" + word + "' for '" + spec.qualifiedName() + "'");
                hint(err, word, new ArrayList<>(spec.subcommands().keySet()));
            } else {
                err.println("error: unexpected argument '" + word + "' for '" + spec.qualifiedName() + "'");
            }
        } else {
            String message = ex.getMessage() == null ? "invalid command line" : ex.getMessage();
            err.println("error: " + lowerFirst(message));
        }
        err.println("try '" + spec.qualifiedName() + " --help'");
        err.flush();
        return ExitCodes.USAGE;
    }

    private static void hint(PrintWriter err, String word, List<String> candidates) {
        String bare = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
        DidYouMean.closest(bare, candidates).ifPresent(c -> err.println("  hint: did you mean '" + c + "'?"));
    }

    private static List<String> optionNames(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        spec.options().forEach(o -> names.addAll(List.of(o.names())));
        return names;
    }

    private static String lowerFirst(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && !Character.isUpperCase(s.charAt(1))) {
            return Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
        return s;
    }
}
