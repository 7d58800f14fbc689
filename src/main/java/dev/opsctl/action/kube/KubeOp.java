package dev.opsctl.action.kube;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** The one operation a {@code kube} step performs, parsed. String fields are templates, rendered when the step runs. */
public sealed interface KubeOp {
    /** The operation's YAML key: {@code get}, {@code rollout_status}, ... */
    String key();

    /** What an operation acts on: a kind and a name, or a kind and a label selector. */
    record Ref(String kind, String apiVersion, String name, String selector) {
        public String describe() {
            return kind + (name.isEmpty() ? " -l " + selector : "/" + name);
        }
    }

    /**
     * A manifest or patch as written: text (rendered as a whole, then parsed) or, when written as a YAML
     * mapping or list, a tree of plain values whose strings are rendered one by one (so a value with a
     * quote cannot break the document) and then written as JSON.
     */
    record Body(Optional<String> text, Optional<Object> tree) {}

    record Get(Ref target, Optional<FieldPath> field, boolean optional) implements KubeOp {
        public String key() {
            return "get";
        }
    }

    /** An inline manifest, or a file read when the step runs; both rendered first. */
    record Apply(Optional<Body> manifest, Optional<Path> file) implements KubeOp {
        public String key() {
            return "apply";
        }
    }

    record Metadata(boolean labels, Ref target, Map<String, String> values) implements KubeOp {
        public Metadata {
            values = Map.copyOf(values);
        }

        public String key() {
            return labels ? "label" : "annotate";
        }
    }

    record Scale(Ref target, String replicas) implements KubeOp {
        public String key() {
            return "scale";
        }
    }

    record Patch(Ref target, String type, Body body) implements KubeOp {
        public String key() {
            return "patch";
        }
    }

    record Delete(Ref target, Optional<Duration> waitFor, OptionalLong gracePeriodSeconds) implements KubeOp {
        public String key() {
            return "delete";
        }
    }

    record SetImage(String deployment, String container, String image) implements KubeOp {
        public String key() {
            return "set_image";
        }
    }

    record RolloutStatus(String deployment, Duration timeout) implements KubeOp {
        public String key() {
            return "rollout_status";
        }
    }

    record RolloutHistory(String deployment) implements KubeOp {
        public String key() {
            return "rollout_history";
        }
    }

    /** {@code toRevision}: a template for a revision number; empty, or rendered as "" or 0, is the previous revision. */
    record RolloutUndo(String deployment, Optional<String> toRevision) implements KubeOp {
        public String key() {
            return "rollout_undo";
        }
    }

    /** Waits for {@code until} (a condition over {@code value} and {@code object}), or for condition type {@code condition} to be True. */
    record Wait(Ref target, Optional<FieldPath> field, Optional<String> until, Optional<String> condition, Duration timeout)
            implements KubeOp {
        public String key() {
            return "wait";
        }
    }

    record Exec(Ref pod, Optional<String> container, List<String> command, Duration timeout) implements KubeOp {
        public Exec {
            command = List.copyOf(command);
        }

        public String key() {
            return "exec";
        }
    }

    record Logs(Ref pod, Optional<String> container, boolean previous, OptionalInt tail) implements KubeOp {
        public String key() {
            return "logs";
        }
    }

    record Events(Ref target) implements KubeOp {
        public String key() {
            return "events";
        }
    }

    record PortForward(Ref target, int port, String path, int expectStatus, Duration timeout) implements KubeOp {
        public String key() {
            return "port_forward";
        }
    }
}
