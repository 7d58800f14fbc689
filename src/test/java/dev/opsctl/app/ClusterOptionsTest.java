package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.opsctl.engine.ExitCodes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterOptionsTest {
    private static ClusterOptions.Backend resolve(Optional<String> option, Map<String, String> env) throws OpsctlException {
        return ClusterOptions.resolve(option, env, Optional.empty(), Optional.empty()).backend();
    }

    @Test
    void dockerUnlessTheOptionOrTheEnvironmentSaysOtherwise() throws Exception {
        assertEquals(ClusterOptions.Backend.DOCKER, resolve(Optional.empty(), Map.of()));
        assertEquals(ClusterOptions.Backend.KUBERNETES, resolve(Optional.empty(), Map.of("CONTAINER_BACKEND", "kubernetes")));
        assertEquals(ClusterOptions.Backend.KUBERNETES, resolve(Optional.of("Kubernetes"), Map.of()));
    }

    @Test
    void theOptionBeatsTheEnvironment() throws Exception {
        assertEquals(ClusterOptions.Backend.DOCKER, resolve(Optional.of("docker"), Map.of("CONTAINER_BACKEND", "kubernetes")));
        assertEquals(ClusterOptions.Backend.KUBERNETES, resolve(Optional.of("kubernetes"), Map.of("CONTAINER_BACKEND", "docker")));
        assertEquals(ClusterOptions.Backend.DOCKER, resolve(Optional.of("docker"), Map.of("CONTAINER_BACKEND", "podman")),
                "a bad environment value does not matter when the option is given");
    }

    @Test
    void anUnknownBackendIsAUsageErrorSayingWhereItCameFrom() {
        OpsctlException e = assertThrows(OpsctlException.class, () -> resolve(Optional.of("k8s"), Map.of()));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertEquals("unknown container backend 'k8s' in --backend\n  fix: use docker or kubernetes", e.getMessage());
        e = assertThrows(OpsctlException.class, () -> resolve(Optional.empty(), Map.of("CONTAINER_BACKEND", "podman")));
        assertEquals("unknown container backend 'podman' in CONTAINER_BACKEND\n  fix: use docker or kubernetes", e.getMessage());
    }

    @Test
    void theHeaderKeepsBackendContextAndNamespaceForResume() throws Exception {
        ClusterOptions o = ClusterOptions.resolve(Optional.of("kubernetes"), Map.of(), Optional.of("prod"), Optional.of("sandboxes"));
        Map<String, Object> header = new LinkedHashMap<>();
        o.addTo(header);
        assertEquals(Map.of("backend", "kubernetes", "context", "prod", "namespace", "sandboxes"), header);
        assertEquals(o, ClusterOptions.fromHeader(header));
        assertEquals(ClusterOptions.DEFAULT, ClusterOptions.fromHeader(Map.of("forks", 5)), "runs from before --backend used docker");
    }
}
