package dev.opsctl.target;

import dev.opsctl.source.OneLine;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The failure of a command that never started: sudo refused it (a password it wants and was not given, a wrong one, a
 * user sudoers does not allow, sudo not installed) or the login shell runs no commands ({@code nologin},
 * {@code /bin/false}). Its exit status and output are sudo's or the login shell's: judged as the command's, a
 * {@code rc == 1} check ("no stale lock") would pass on sudo's exit 1. A target that cannot show the command started
 * (its start mark never came) throws this instead of returning a result.
 */
public final class CommandNotStarted {
    private static final int MAX_QUOTED = 200;
    private static final String PASSWORD_OPTIONS = "--ask-sudo-password, --sudo-password-env NAME or --sudo-password-file FILE";

    private CommandNotStarted() {}

    /**
     * {@code request} ran on {@code host} and ended as {@code result} without the mark of its start. {@code loginUser}:
     * the user whose login shell ran it (over SSH), empty where no login shell is involved (the local target).
     */
    public static TargetException failure(String host, ExecRequest request, Optional<String> loginUser, ExecResult result) {
        // sudo's or the login shell's whole words, shown where output is, never as the command's
        return TargetException.remoteFailed(host, message(host, request, loginUser, result)).withNotStarted()
                .withOutputSoFar(new TargetException.OutputSoFar(result.stdout(), result.stderr()));
    }

    static String message(String host, ExecRequest request, Optional<String> loginUser, ExecResult result) {
        Sudo sudo = request.sudo();
        String about = request.description().map(d -> " (" + d + ")").orElse("");
        Optional<String> sudoLine = sudo.enabled() ? lastSudoLine(result.stderr()) : Optional.empty();
        if (sudoLine.isPresent() && missing(sudoLine.get())) {
            return "sudo is not installed on host '" + host + "', or not on the login's PATH" + about + ": " + quoted(sudoLine.get())
                    + "; fix: install sudo there, or run the step without 'sudo'";
        }
        if (sudoLine.isPresent()) {
            return "sudo on host '" + host + "' refused to run the command as '" + sudo.user() + "'" + about + ": "
                    + quoted(sudoLine.get()) + "; fix: " + sudoFix(sudo, sudoLine.get(), loginUser);
        }
        String said = result.lastLine().isEmpty() ? "" : ": " + quoted(result.lastLine());
        if (loginUser.isPresent()) {
            String user = loginUser.get();
            return "the login shell of user '" + user + "' on host '" + host + "' did not run the command (exit " + result.exitCode()
                    + ")" + about + said + "; fix: give user '" + user + "' a login shell that runs commands (chsh -s /bin/bash " + user
                    + "), or log in as another user";
        }
        return "sudo on host '" + host + "' did not run the command as '" + sudo.user() + "' (exit " + result.exitCode() + ")" + about
                + said + "; fix: check that 'sudo -u " + sudo.user() + " true' works there";
    }

    private static String sudoFix(Sudo sudo, String line, Optional<String> loginUser) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.contains("did not accept the password") || lower.contains("incorrect password")) {
            return "give the right sudo password (" + PASSWORD_OPTIONS + ")";
        }
        if (lower.contains("a password is required")) {
            return "allow it in sudoers (NOPASSWD) or give the sudo password (" + PASSWORD_OPTIONS + ")";
        }
        if (lower.contains("sudoers") || lower.contains("not allowed")) {
            return "allow it in sudoers for " + loginUser.map(u -> "user '" + u + "'").orElse("the user opsctl runs as")
                    + " ('sudo -l' there lists what it may run)";
        }
        return "check that 'sudo -u " + sudo.user() + " true' works there";
    }

    /**
     * sudo's own last word: its lines start with "sudo:" (opsctl's note of a refused password with "opsctl: sudo"); a
     * shell that found no sudo names it in its "not found".
     */
    private static Optional<String> lastSudoLine(String stderr) {
        List<String> lines = stderr.lines().map(String::strip).toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i);
            if (l.contains("sudo:") || l.startsWith("opsctl: sudo") || missing(l)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    private static boolean missing(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        return lower.contains("sudo") && (lower.contains("not found") || lower.contains("unknown command"));
    }

    private static String quoted(String line) {
        return "'" + OneLine.of(line, MAX_QUOTED) + "'";
    }
}
