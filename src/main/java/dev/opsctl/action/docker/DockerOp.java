package dev.opsctl.action.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The one operation a {@code docker} step performs, with its fields as written (strings are templates). */
public sealed interface DockerOp {
    /** The YAML key of the operation. */
    String key();

    /** {@code info: {}}: how the daemon is set up. */
    record Info() implements DockerOp {
        public String key() {
            return "info";
        }
    }

    /** {@code ps: {label: workspace, all: false}}. */
    record Ps(List<String> labels, boolean all) implements DockerOp {
        public Ps {
            labels = List.copyOf(labels);
        }

        public String key() {
            return "ps";
        }
    }

    /** {@code stop: {label: workspace | ids: [...], timeout: 5m, force_after: true}}. */
    record Stop(List<String> labels, List<String> ids, Duration timeout, boolean forceAfter) implements DockerOp {
        public Stop {
            labels = List.copyOf(labels);
            ids = List.copyOf(ids);
        }

        public String key() {
            return "stop";
        }
    }

    /** {@code run: {image, command, user, labels, network, runtime, rm, detach, name, expect_output, timeout}}. */
    record Run(String image, List<String> command, Optional<String> user, Map<String, String> labels, Optional<String> network,
            boolean rm, boolean detach, Optional<String> name, Optional<String> expectOutput, Duration timeout,
            Optional<String> runtime) implements DockerOp {
        public Run {
            command = List.copyOf(command);
            labels = Map.copyOf(labels);
        }

        public String key() {
            return "run";
        }
    }

    /** {@code inspect: {container, field: State.Pid}}. */
    record Inspect(String container, String field) implements DockerOp {
        public String key() {
            return "inspect";
        }
    }

    /** {@code exec: {container, command: [...], timeout}}. */
    record Exec(String container, List<String> command, Duration timeout) implements DockerOp {
        public Exec {
            command = List.copyOf(command);
        }

        public String key() {
            return "exec";
        }
    }

    /** {@code image: {name, load: /path/on/host.tar | upload: local.tar | pull: true, timeout}}. */
    record Image(String name, Optional<String> load, Optional<Path> upload, boolean pull, Duration timeout) implements DockerOp {
        public String key() {
            return "image";
        }
    }

    /** {@code wait: {timeout: 60s, interval: 2s}}: until the daemon answers. */
    record Wait(Duration timeout, Duration interval) implements DockerOp {
        public String key() {
            return "wait";
        }
    }
}
