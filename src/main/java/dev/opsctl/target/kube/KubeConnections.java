package dev.opsctl.target.kube;

import dev.opsctl.target.TargetException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out one {@link KubeTarget} per kubeconfig context, opened on first use and kept for the life
 * of the process (fabric8 clients pool their connections). Thread-safe.
 */
public interface KubeConnections {
    /** The cluster of {@code context} (the kubeconfig's current context when empty). */
    KubeTarget connect(Optional<String> context) throws TargetException;

    /** Connections configured from {@code env} ({@code KUBECONFIG}, {@code HOME}, in-cluster variables). */
    static KubeConnections fromEnvironment(Map<String, String> env) {
        return cached(KubeClientFactory.fromEnvironment(env));
    }

    static KubeConnections cached(KubeClientFactory factory) {
        Map<String, KubeTarget> open = new ConcurrentHashMap<>();
        return context -> {
            String key = context.orElse("");
            KubeTarget t = open.get(key);
            if (t != null) {
                return t;
            }
            synchronized (open) {
                t = open.get(key);
                if (t == null) {
                    t = factory.open(context, Optional.empty());
                    open.put(key, t);
                }
                return t;
            }
        };
    }

    /** Always the same target (tests: a mock server's). */
    static KubeConnections of(KubeTarget target) {
        return context -> target;
    }
}
