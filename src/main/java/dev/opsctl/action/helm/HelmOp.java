package dev.opsctl.action.helm;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The one operation a {@code helm} step performs, parsed. String fields are templates, rendered when the step runs. */
public sealed interface HelmOp {
    /** The operation's YAML key: {@code install}, {@code template}, ... */
    String key();

    /** How a release reaches the cluster: Helm itself, or Helm's rendering applied by opsctl's kube target. */
    enum Via {
        HELM, KUBE;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A chart (directory or .tgz) and what it is rendered with; paths relative to the runbook. */
    record Chart(String chart, List<String> valuesFiles, Map<String, String> set, Optional<String> nameOverride) {
        public Chart {
            valuesFiles = List.copyOf(valuesFiles);
            set = Map.copyOf(set);
        }
    }

    /** install, or upgrade ({@code install: true}: upgrade --install). */
    record Deploy(boolean upgrade, String release, Chart chart, boolean createNamespace, boolean waitReady, boolean atomic,
            Duration timeout, boolean install, Via via) implements HelmOp {
        public String key() {
            return upgrade ? "upgrade" : "install";
        }
    }

    record Uninstall(String release, Via via, boolean waitGone, Duration timeout) implements HelmOp {
        public String key() {
            return "uninstall";
        }
    }

    /** {@code revision} 0: the one before the current. */
    record Rollback(String release, long revision, boolean waitReady, Duration timeout, Via via) implements HelmOp {
        public String key() {
            return "rollback";
        }
    }

    record Status(String release, Via via) implements HelmOp {
        public String key() {
            return "status";
        }
    }

    record History(String release, Via via) implements HelmOp {
        public String key() {
            return "history";
        }
    }

    record Template(String release, Chart chart) implements HelmOp {
        public String key() {
            return "template";
        }
    }

    record Lint(Chart chart) implements HelmOp {
        public String key() {
            return "lint";
        }
    }
}
