package dev.opsctl.cli;

import dev.opsctl.app.ClusterOptions;
import dev.opsctl.app.OpsctlException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of {@code run}, {@code rollout} and {@code plan}: where, with what, how carefully. */
final class RunOptionsMixin {
    @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY",
            description = "Inventory file: opsctl YAML or an Ansible INI/YAML inventory (default: the local host).")
    Path inventory;

    @Option(names = {"-l", "--limit"}, paramLabel = "LIMIT",
            description = "Only these hosts or groups (Ansible patterns: web*, !web3); repeatable.")
    List<String> limit = new ArrayList<>();

    @Option(names = {"-e", "--param"}, paramLabel = "KEY=VALUE", converter = KeyValueConverter.class,
            description = "Set a runbook parameter; repeatable.")
    List<KeyValue> params = new ArrayList<>();

    @Option(names = "--dry-run", description = "Show what each step would do; change nothing.")
    boolean dryRun;

    @Option(names = {"-y", "--yes"}, description = "Do not ask before starting.")
    boolean yes;

    @Option(names = "--confirm", paramLabel = "ID",
            description = "Answer yes without being asked: a manual checklist item, or a 'confirm' step (by step id) before a remedy; repeatable.")
    List<String> confirm = new ArrayList<>();

    @Option(names = "--answers", paramLabel = "FILE", description = "Checklist answers file for non-interactive runs.")
    Path answers;

    @Option(names = "--forks", paramLabel = "N", defaultValue = "50",
            description = "Hosts worked on at once within a batch (default: ${DEFAULT-VALUE}).")
    int forks = 50;

    @Option(names = "--dry-run-triggers",
            description = "Evaluate triggers against live probes and report what they would do, without acting on them.")
    boolean dryRunTriggers;

    @Option(names = "--ignore-window", description = "Start hosts even outside the runbook's maintenance window.")
    boolean ignoreWindow;

    @Option(names = "--notify", paramLabel = "URL",
            description = "Post run events (started, host failed, trigger fired, rolled back, finished) as Slack-compatible JSON to this webhook; repeatable. A webhook that fails never fails the run.")
    List<String> notify = new ArrayList<>();

    @Option(names = "--operator", paramLabel = "NAME",
            description = "Who runs this, for the journal and gate answers (default: $USER).")
    String operator;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where runs are journaled (default: $XDG_STATE_HOME/opsctl or ~/.local/state/opsctl).")
    Path stateDir;

    @Option(names = "--backend", paramLabel = "docker|kubernetes", completionCandidates = BackendNames.class,
            description = "Where the docker steps' containers are listed, stopped, run and exec'd: each host's Docker daemon, "
                    + "or the pods of one Kubernetes namespace (default: $CONTAINER_BACKEND, else docker).")
    String backend;

    @Option(names = "--context", paramLabel = "CONTEXT",
            description = "Kubeconfig context for the kubernetes backend and the cluster lock (default: the current one; in a pod, its service account).")
    String context;

    @Option(names = "--namespace", paramLabel = "NAMESPACE",
            description = "Namespace for the kubernetes backend's pods and the cluster lock's Lease (default: the context's).")
    String namespace;

    @Mixin
    SshOptionsMixin ssh = new SshOptionsMixin();

    @Mixin
    SudoPasswordMixin sudo = new SudoPasswordMixin();

    /** --backend beats $CONTAINER_BACKEND; an unknown name is a usage error. */
    ClusterOptions cluster(Map<String, String> env) {
        try {
            return ClusterOptions.resolve(Optional.ofNullable(backend), env, Optional.ofNullable(context), Optional.ofNullable(namespace));
        } catch (OpsctlException e) {
            String[] parts = e.getMessage().split("\n  fix: ", 2);
            throw new UsageException(parts[0], parts.length > 1 ? parts[1] : null);
        }
    }

    Optional<Path> inventory() {
        return Optional.ofNullable(inventory);
    }

    Optional<Path> answers() {
        return Optional.ofNullable(answers);
    }

    /** The -e values by name; a later -e for the same name wins, as in Ansible. */
    Map<String, String> paramMap() {
        Map<String, String> m = new LinkedHashMap<>();
        params.forEach(kv -> m.put(kv.key(), kv.value()));
        return m;
    }

    Optional<String> operator() {
        return Optional.ofNullable(operator);
    }

    Optional<Path> stateDir() {
        return Optional.ofNullable(stateDir);
    }
}
