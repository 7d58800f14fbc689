package dev.opsctl.target.container;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container to run: {@code command} empty means the image's default; {@code network} e.g.
 * {@code none}; {@code timeout} bounds the wait for an attached run. {@code maxOutput} caps the
 * captured output in bytes. {@code runtime}: a sandboxing runtime (Docker's {@code --runtime runsc},
 * a Kubernetes RuntimeClass such as {@code gvisor}); empty for the backend's default.
 */
public record ContainerSpec(
        String image,
        List<String> command,
        Optional<String> user,
        Map<String, String> labels,
        Optional<String> network,
        Optional<String> name,
        boolean remove,
        boolean detach,
        Duration timeout,
        int maxOutput,
        Optional<String> runtime) {

    public static final int DEFAULT_MAX_OUTPUT = 1024 * 1024;

    public ContainerSpec {
        command = List.copyOf(command);
        labels = Map.copyOf(labels);
    }

    /** With the backend's default runtime. */
    public ContainerSpec(String image, List<String> command, Optional<String> user, Map<String, String> labels,
            Optional<String> network, Optional<String> name, boolean remove, boolean detach, Duration timeout, int maxOutput) {
        this(image, command, user, labels, network, name, remove, detach, timeout, maxOutput, Optional.empty());
    }

    public static ContainerSpec of(String image, List<String> command) {
        return new ContainerSpec(image, command, Optional.empty(), Map.of(), Optional.empty(), Optional.empty(), true, false,
                Duration.ofMinutes(5), DEFAULT_MAX_OUTPUT);
    }

    public ContainerSpec withRuntime(String r) {
        return new ContainerSpec(image, command, user, labels, network, name, remove, detach, timeout, maxOutput, Optional.of(r));
    }
}
