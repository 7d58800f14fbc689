package dev.opsctl.action;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every step type opsctl knows, by name. The loader, {@code validate}, {@code runbooks show}, the
 * docs and the completions all read this one list. Immutable and thread-safe.
 */
public final class ActionRegistry {
    private final Map<String, ActionType<?>> types;

    public ActionRegistry(List<ActionType<?>> types) {
        Map<String, ActionType<?>> m = new LinkedHashMap<>();
        for (ActionType<?> t : types) {
            if (m.put(t.name(), t) != null) {
                throw new IllegalArgumentException("two step types named " + t.name());
            }
        }
        this.types = Collections.unmodifiableMap(m);
    }

    /**
     * The standard step types, their {@code kube} and {@code helm} steps connecting through this process's
     * environment. For reading runbooks; what runs steps passes its environment to {@link #standard(Map)}.
     */
    public static ActionRegistry standard() {
        return standard(System.getenv());
    }

    /**
     * The standard step types, the clusters of {@code kube} and {@code helm} steps (and probes) found through
     * {@code environment} ({@code KUBECONFIG}, {@code HOME}, in-cluster variables) and shared by both. Add one
     * line here for a new type.
     */
    public static ActionRegistry standard(Map<String, String> environment) {
        dev.opsctl.target.kube.KubeClientFactory factory = dev.opsctl.target.kube.KubeClientFactory.fromEnvironment(environment);
        dev.opsctl.target.kube.KubeConnections clusters = dev.opsctl.target.kube.KubeConnections.cached(factory);
        return new ActionRegistry(List.of(
                new dev.opsctl.action.shell.ShellActionType(),
                new dev.opsctl.action.script.ScriptActionType(),
                new dev.opsctl.action.copy.CopyActionType(),
                new dev.opsctl.action.template.TemplateActionType(),
                new dev.opsctl.action.json.JsonActionType(),
                new dev.opsctl.action.backup.BackupActionType(),
                new dev.opsctl.action.restore.RestoreActionType(),
                new dev.opsctl.action.wait.WaitActionType(),
                new dev.opsctl.action.http.HttpActionType(),
                new dev.opsctl.action.prometheus.PrometheusActionType(),
                new dev.opsctl.action.docker.DockerActionType(),
                new dev.opsctl.action.sleep.SleepActionType(),
                new dev.opsctl.action.include.IncludeActionType(),
                new dev.opsctl.action.monitor.MonitorActionType(),
                new dev.opsctl.action.notify.NotifyActionType(),
                new dev.opsctl.action.kube.KubeActionType(clusters),
                new dev.opsctl.action.helm.HelmActionType(clusters, factory::kubeconfigFor, dev.opsctl.target.helm.HelmTarget.lazy()),
                new dev.opsctl.action.confirm.ConfirmActionType(),
                new dev.opsctl.action.notice.NoticeActionType()));
    }

    public Optional<ActionType<?>> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    public Collection<ActionType<?>> all() {
        return types.values();
    }

    public java.util.Set<String> names() {
        return types.keySet();
    }
}
