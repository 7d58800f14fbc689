package dev.opsctl.engine.journal;

import java.util.regex.Pattern;

/**
 * A step's outcome as a journal written before {@code connection_lost} existed meant it: a connection
 * lost under a running command was journaled {@code failed}, with the SSH target's words for it. Read
 * as {@code failed}, a resume would run that half-run step again without asking.
 */
final class LegacyOutcome {
    private static final Pattern LOST = Pattern.compile("(?s)host '[^']*': the ssh connection to '[^']*' was lost while .*");

    private LegacyOutcome() {}

    static String of(String outcome, String message) {
        return outcome.equals("failed") && LOST.matcher(message).matches() ? "connection_lost" : outcome;
    }
}
