package dev.opsctl.app;

import dev.opsctl.source.Secret;
import java.util.List;
import java.util.Optional;

/**
 * {@code opsctl runs resume ID}: {@code extraVars} give the secrets again (the journal keeps them
 * masked); {@code force} resumes although the runbook changed; {@code rerunInterrupted} reruns a
 * step that was interrupted although it is not idempotent (after the operator checked the host);
 * {@code answers}: manual gate items answered ahead, as for a new run. {@code notifyUrls}: the {@code --notify}
 * webhooks again (the journal keeps only how many the run had: URLs are credentials).
 */
public record ResumeRequest(String runId, List<String> extraVars, boolean force, boolean rerunInterrupted,
        boolean ignoreWindow, Optional<Secret> sudoPassword, GateAnswers answers, List<String> notifyUrls) {
    public ResumeRequest {
        extraVars = List.copyOf(extraVars);
        notifyUrls = List.copyOf(notifyUrls);
    }

    public ResumeRequest(String runId, List<String> extraVars, boolean force, boolean rerunInterrupted, boolean ignoreWindow,
            Optional<Secret> sudoPassword, GateAnswers answers) {
        this(runId, extraVars, force, rerunInterrupted, ignoreWindow, sudoPassword, answers, List.of());
    }

    public ResumeRequest withNotify(List<String> urls) {
        return new ResumeRequest(runId, extraVars, force, rerunInterrupted, ignoreWindow, sudoPassword, answers, urls);
    }

    public ResumeRequest(String runId, List<String> extraVars, boolean force, boolean rerunInterrupted, boolean ignoreWindow,
            Optional<Secret> sudoPassword) {
        this(runId, extraVars, force, rerunInterrupted, ignoreWindow, sudoPassword, GateAnswers.NONE);
    }

    public static ResumeRequest of(String runId) {
        return new ResumeRequest(runId, List.of(), false, false, false, Optional.empty());
    }

    public ResumeRequest withAnswers(GateAnswers a) {
        return new ResumeRequest(runId, extraVars, force, rerunInterrupted, ignoreWindow, sudoPassword, a, notifyUrls);
    }

    public ResumeRequest withExtraVars(List<String> vars) {
        return new ResumeRequest(runId, vars, force, rerunInterrupted, ignoreWindow, sudoPassword, answers, notifyUrls);
    }

    public ResumeRequest withForce(boolean b) {
        return new ResumeRequest(runId, extraVars, b, rerunInterrupted, ignoreWindow, sudoPassword, answers, notifyUrls);
    }

    public ResumeRequest withRerunInterrupted(boolean b) {
        return new ResumeRequest(runId, extraVars, force, b, ignoreWindow, sudoPassword, answers, notifyUrls);
    }
}
