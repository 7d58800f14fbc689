package dev.opsctl.cli;

import picocli.CommandLine;

/** Bad command lines: one line saying what is wrong, one saying where help is, exit 2. */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String message = ex.getMessage() == null ? "invalid command line" : ex.getMessage();
        cmd.getErr().println("error: " + lowerFirst(message));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, cmd.getErr());
        cmd.getErr().println("try '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        cmd.getErr().flush();
        return ExitCode.USAGE;
    }

    private static String lowerFirst(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && !Character.isUpperCase(s.charAt(1))) {
            return Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
        return s;
    }
}
