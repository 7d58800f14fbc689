package dev.opsctl.target.helm;

import dev.opsctl.target.TargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Helm 3 as opsctl's {@code helm} steps see it: charts rendered and linted offline, releases managed
 * on the cluster a kubeconfig names. Every failure is a {@link TargetException}: {@code REMOTE_FAILED}
 * with Helm's own message (a template error, a release that does not exist), {@code TIMEOUT} when a
 * wait runs out, {@code UNREACHABLE} when the native library cannot load or the cluster does not answer,
 * {@code CONNECTION_LOST} when the connection broke while an install, upgrade or uninstall was being sent (Helm
 * may have applied it, or part of it; a read is asked once more instead).
 * Thread-safe.
 */
public interface HelmTarget {
    /** A chart and what it is rendered with: values files (in order) and {@code --set} pairs. */
    record Chart(Path chart, String release, String namespace, List<Path> valuesFiles, Map<String, String> set) {
        public Chart {
            valuesFiles = List.copyOf(valuesFiles);
            set = Map.copyOf(set);
        }
    }

    /** Where a release lives: a kubeconfig's text with its current context chosen (empty: Helm's own default, e.g. in-cluster). */
    record Cluster(String kubeconfig, String context) {}

    /** An install, or an upgrade ({@code install}: install when absent). */
    record Deploy(Chart chart, boolean upgrade, boolean install, boolean createNamespace, boolean waitReady, boolean atomic, Duration timeout) {}

    /** A release as Helm reports it. */
    record Release(String name, String namespace, long revision, String status, String chart, String appVersion) {}

    /** One entry of a release's history. */
    record Revision(long number, String status, String chart, String appVersion, String description, String updated) {}

    /** Helm's lint verdict and its messages ({@code [ERROR] templates/: ...}). */
    record Lint(boolean failed, List<String> messages) {
        public Lint {
            messages = List.copyOf(messages);
        }
    }

    /** The rendered manifest ({@code helm template}), offline. */
    String template(Chart chart) throws TargetException;

    /** {@code helm lint}, offline. */
    Lint lint(Chart chart) throws TargetException;

    /** {@code helm install} or {@code helm upgrade [--install]}. */
    Release deploy(Cluster cluster, Deploy deploy) throws TargetException;

    /** {@code helm uninstall}; returns Helm's message. */
    String uninstall(Cluster cluster, String release, String namespace) throws TargetException;

    Release status(Cluster cluster, String release, String namespace) throws TargetException;

    /** Oldest first. */
    List<Revision> history(Cluster cluster, String release, String namespace) throws TargetException;

    /** helm-java, loaded on the first call (not when opsctl starts or loads a runbook). */
    static HelmTarget lazy() {
        return new LazyHelm();
    }
}
