package dev.opsctl.report;

import dev.opsctl.event.RunEvent.StepFinished;
import dev.opsctl.source.TerminalText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The what / why / fix lines for a step that failed, timed out, found its host unreachable or lost its connection:
 * <pre>
 * host web1: step 'restart-docker' failed: exit 1 from 'systemctl restart docker'
 *   why: Job for docker.service failed
 *   fix: see 'opsctl runs show ID --step restart-docker' for full output; rerun with 'opsctl runs resume ID'
 * </pre>
 * A rollback step's fix is {@code opsctl runs rollback}: a resume leaves a host whose rollback failed to it.
 */
final class FailureBlock {
    /** What {@code sudo -n} says when the host's sudoers wants a password. */
    private static final String SUDO_WANTS_PASSWORD = "sudo: a password is required";
    /** How a failure's message gives its fix ({@code CommandNotStarted}'s). */
    private static final String OWN_FIX = "; fix: ";

    private FailureBlock() {}

    /** {@code rollback}: the step is one of the host's rollback steps. */
    static List<String> lines(StepFinished f, String summary, Optional<String> streamed, boolean rollback) {
        List<String> out = new ArrayList<>();
        // the host's words, shown rather than sent to the terminal
        Optional<String> lastStderr = streamed.or(() -> lastLine(f.result().get("stderr"))).map(TerminalText::visible);
        // raw here: its first line heads the block, all its lines are the why; each is shown, not sent, when printed
        String message = f.message() == null ? "" : f.message().strip();
        String again = "'opsctl runs rollback " + f.runId() + " --host " + f.host() + "'";
        String resume = rollback ? "check the host, then roll it back again with " + again
                : "rerun with 'opsctl runs resume " + f.runId() + "'";
        String step = (rollback ? "rollback step '" : "step '") + f.step() + "'";
        Optional<String> cluster = cluster(message);
        switch (f.outcome()) {
            case "unreachable" -> {
                if (cluster.isPresent()) {
                    out.add("host " + f.host() + ": " + step + " could not reach the cluster: " + shown(message));
                    out.add("  fix: check that the API server of kube context '" + cluster.get() + "' is up and reachable from here "
                            + "(kubectl --context " + cluster.get() + " get --raw /readyz); " + resume);
                    return out;
                }
                out.add("host " + f.host() + ": unreachable at " + step + (message.isEmpty() ? "" : ": " + shown(message)));
                lastStderr.ifPresent(s -> out.add("  why: " + s));
                out.add("  fix: check the host is up and reachable (ssh " + f.host() + "); " + resume);
                return out;
            }
            case "connection_lost" -> {
                out.add("host " + f.host() + ": " + step + " lost its connection to " + (cluster.isPresent() ? "the API server" : "the host")
                        + (message.isEmpty() ? "" : ": " + shown(message)));
                out.add("  fix: " + cluster.map(c -> "check in kube context '" + c + "' what the step changed and that nothing of it is "
                        + "still running").orElse("check on the host what the command did and that it is no longer running") + ", then " + (rollback
                        ? "'opsctl runs rollback " + f.runId() + " --host " + f.host() + " --rerun-interrupted'"
                        : "'opsctl runs resume " + f.runId() + " --rerun-interrupted' (or " + again + ")"));
                return out;
            }
            case "timed_out" -> out.add("host " + f.host() + ": " + step + " timed out after " + Elapsed.format(f.elapsedMs())
                    + (summary.isEmpty() ? "" : " running '" + summary + "'"));
            default -> {
                String cause = cause(f, summary, message);
                int fix = message.isEmpty() ? -1 : cause.indexOf(OWN_FIX);
                if (fix >= 0) {
                    // a failure that says its own fix (a command sudo or the login shell refused to start): on the fix line
                    out.add("host " + f.host() + ": " + step + " failed: " + TerminalText.visible(cause.substring(0, fix)));
                    lastStderr.ifPresent(s -> out.add("  why: " + s));
                    out.add("  fix: " + TerminalText.visible(cause.substring(fix + OWN_FIX.length())) + "; " + resume);
                    return out;
                }
                out.add("host " + f.host() + ": " + step + " failed: " + TerminalText.visible(cause));
            }
        }
        Optional<String> why = lastStderr.or(() -> message.isEmpty() || out.get(0).endsWith(shown(message))
                ? Optional.empty() : Optional.of(shown(message)));
        why.ifPresent(w -> out.add("  why: " + w));
        if ((message + why.orElse("")).contains(SUDO_WANTS_PASSWORD)) {
            out.add("  fix: sudo on the host asks for a password: give it with --ask-sudo-password, --sudo-password-env NAME "
                    + "or --sudo-password-file FILE; " + resume + " and that option");
            return out;
        }
        out.add("  fix: see 'opsctl runs show " + f.runId() + " --step " + f.step() + "' for full output; " + resume);
        return out;
    }

    /**
     * The kube context a step's failure names at its start ({@code kube context 'prod' is unreachable: ...}): the step
     * worked on that cluster's API server from the controller, not on its host.
     */
    private static Optional<String> cluster(String message) {
        java.util.regex.Matcher m = KUBE_CONTEXT.matcher(message);
        return m.lookingAt() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static final java.util.regex.Pattern KUBE_CONTEXT = java.util.regex.Pattern.compile("kube context '([^']+)'");

    /** Each line of a host's words made visible; further lines indented under the first "  why: ". */
    private static String shown(String text) {
        return String.join("\n       ", text.lines().map(TerminalText::visible).toList());
    }

    private static Optional<String> lastLine(Object text) {
        if (text == null) {
            return Optional.empty();
        }
        List<String> lines = text.toString().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
    }

    /** The engine's message is rendered and masked, so it wins over the step's (template) summary. */
    private static String cause(StepFinished f, String summary, String message) {
        if (!message.isEmpty()) {
            return message.lines().findFirst().orElse(message);
        }
        if (f.rc() > 0 && !summary.isEmpty()) {
            return "exit " + f.rc() + " from '" + summary + "'";
        }
        return f.rc() > 0 ? "exit " + f.rc() : "failed";
    }
}
