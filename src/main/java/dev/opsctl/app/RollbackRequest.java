package dev.opsctl.app;

import dev.opsctl.source.Secret;
import java.util.List;
import java.util.Optional;

/**
 * {@code opsctl runs rollback ID [--host H]...}: {@code hosts} empty means every host of the run that
 * started and was not rolled back yet. {@code extraVars} give the secrets again (the journal keeps
 * them masked); {@code force} rolls back although the runbook changed since the run; {@code rerunInterrupted}
 * runs a rollback again whose last run was cut short in a step that is not idempotent, without asking.
 */
public record RollbackRequest(String runId, List<String> hosts, List<String> extraVars, boolean force,
        Optional<Secret> sudoPassword, boolean rerunInterrupted) {
    public RollbackRequest {
        hosts = List.copyOf(hosts);
        extraVars = List.copyOf(extraVars);
    }

    public static RollbackRequest of(String runId) {
        return new RollbackRequest(runId, List.of(), List.of(), false, Optional.empty(), false);
    }

    public RollbackRequest withHosts(List<String> names) {
        return new RollbackRequest(runId, names, extraVars, force, sudoPassword, rerunInterrupted);
    }

    public RollbackRequest withSudoPassword(Optional<Secret> p) {
        return new RollbackRequest(runId, hosts, extraVars, force, p, rerunInterrupted);
    }

    public RollbackRequest withExtraVars(List<String> vars) {
        return new RollbackRequest(runId, hosts, vars, force, sudoPassword, rerunInterrupted);
    }

    public RollbackRequest withForce(boolean b) {
        return new RollbackRequest(runId, hosts, extraVars, b, sudoPassword, rerunInterrupted);
    }

    public RollbackRequest withRerunInterrupted(boolean b) {
        return new RollbackRequest(runId, hosts, extraVars, force, sudoPassword, b);
    }
}
