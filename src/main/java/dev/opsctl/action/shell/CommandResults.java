package dev.opsctl.action.shell;

import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.Durations;
import dev.opsctl.target.ExecResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a finished command into a step result: the outcome, a one-line message and the data later steps read. */
public final class CommandResults {
    private static final int SHOWN_MAX = 80;

    private CommandResults() {}

    /**
     * CHANGED when the exit code is expected, TIMED_OUT when the command was killed, FAILED otherwise
     * ({@code exit 3 from 'cmd'}, with {@code why}: the last line of stderr). Output and the command
     * are masked before they go into the result.
     */
    public static StepResult of(ExecResult r, String command, List<Integer> expectRc, StepContext ctx) {
        String shown = shown(ctx.mask(command));
        // Trailing newlines are dropped (as Ansible does) so that `{{ steps.x.stdout }}` can be used as a word.
        String stdout = stripTrailingNewlines(ctx.mask(r.stdout()));
        String stderr = stripTrailingNewlines(ctx.mask(r.stderr()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("rc", (long) r.exitCode());
        data.put("stdout", stdout);
        data.put("stderr", stderr);
        data.put("stdout_lines", stdout.isEmpty() ? List.of() : List.of(stdout.split("\n")));
        data.put("truncated", r.truncated());
        data.put("cmd", shown);
        StepResult.Outcome outcome;
        String message;
        if (r.timedOut()) {
            outcome = StepResult.Outcome.TIMED_OUT;
            message = "timed out after " + Durations.format(r.elapsed().withNanos(0)) + ": '" + shown + "'"
                    + (r.leftRunning() ? "; " + r.stoppedOrNot() : "");
        } else if (expectRc.contains(r.exitCode())) {
            outcome = StepResult.Outcome.CHANGED;
            message = "exit " + r.exitCode() + " from '" + shown + "'";
        } else {
            outcome = StepResult.Outcome.FAILED;
            message = "exit " + r.exitCode() + " from '" + shown + "'";
        }
        if (outcome != StepResult.Outcome.CHANGED) {
            data.put("why", ctx.mask(r.lastLine()));
        }
        return new StepResult(outcome, r.exitCode(), stdout, stderr, message, data, r.elapsed(), r.timedOut() && r.leftRunning());
    }

    static String stripTrailingNewlines(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    /** The first line, cut at {@value #SHOWN_MAX} characters: enough to recognise a command in one line. */
    public static String shown(String command) {
        String s = command.strip();
        int nl = s.indexOf('\n');
        boolean cut = nl >= 0;
        if (cut) {
            s = s.substring(0, nl).strip();
        }
        if (s.length() > SHOWN_MAX) {
            s = s.substring(0, SHOWN_MAX);
            cut = true;
        }
        return cut ? s + " ..." : s;
    }
}
