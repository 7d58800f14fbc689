package dev.opsctl.app;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a run's containers live and which cluster it uses beside its {@code kube} steps:
 * {@code --backend docker|kubernetes} (else {@code CONTAINER_BACKEND}, else docker), and for the
 * Kubernetes backend and the Lease lock {@code --context} and {@code --namespace} (else the
 * kubeconfig's current context and its namespace; in a pod, its service account's).
 */
public record ClusterOptions(Backend backend, Optional<String> context, Optional<String> namespace) {
    /** The environment variable the EKS + gVisor study switches the backend with. */
    public static final String ENV = "CONTAINER_BACKEND";
    public static final ClusterOptions DEFAULT = new ClusterOptions(Backend.DOCKER, Optional.empty(), Optional.empty());

    /** The container backends, by the names operators type. */
    public enum Backend {
        DOCKER, KUBERNETES;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Backend> parse(String s) {
            for (Backend b : values()) {
                if (b.label().equals(s.strip().toLowerCase(Locale.ROOT))) {
                    return Optional.of(b);
                }
            }
            return Optional.empty();
        }
    }

    public ClusterOptions {
        context = context.filter(s -> !s.isBlank());
        namespace = namespace.filter(s -> !s.isBlank());
    }

    /** {@code option} (from {@code --backend}) beats {@code CONTAINER_BACKEND} in {@code env}; docker when neither is set. */
    public static ClusterOptions resolve(Optional<String> option, Map<String, String> env, Optional<String> context,
            Optional<String> namespace) throws OpsctlException {
        Backend b = Backend.DOCKER;
        if (option.isPresent()) {
            b = Backend.parse(option.get()).orElseThrow(() -> unknown(option.get(), "--backend"));
        } else {
            String v = env.getOrDefault(ENV, "");
            if (!v.isBlank()) {
                b = Backend.parse(v).orElseThrow(() -> unknown(v, ENV));
            }
        }
        return new ClusterOptions(b, context, namespace);
    }

    private static OpsctlException unknown(String value, String where) {
        return OpsctlException.usage("unknown container backend '" + value + "' in " + where + "\n  fix: use docker or kubernetes");
    }

    public boolean kubernetes() {
        return backend == Backend.KUBERNETES;
    }

    /**
     * The run's {@code run.backend} ({@code docker} or {@code kubernetes}), {@code run.namespace} and {@code run.context}
     * template variables, so one runbook can skip what only a Docker daemon has ({@code when: run.backend == "docker"}).
     * The namespace is {@code --namespace}, else {@code resolved} (the context's, once the cluster was asked), else empty;
     * the context is {@code --context}, else empty (the kubeconfig's current one).
     */
    public Map<String, String> runFields(Optional<String> resolved) {
        return Map.of("backend", backend.label(), "namespace", namespace.or(() -> resolved.filter(n -> !n.isBlank())).orElse(""),
                "context", context.orElse(""));
    }

    /** As journaled in the run header's options, so {@code runs resume} uses the same backend and cluster. */
    void addTo(Map<String, Object> options) {
        options.put("backend", backend.label());
        context.ifPresent(c -> options.put("context", c));
        namespace.ifPresent(n -> options.put("namespace", n));
    }

    /** From a run header's options; runs journaled before the option existed used docker. */
    static ClusterOptions fromHeader(Map<String, Object> options) {
        Backend b = options.get("backend") instanceof String s ? Backend.parse(s).orElse(Backend.DOCKER) : Backend.DOCKER;
        return new ClusterOptions(b, Optional.ofNullable(options.get("context")).map(String::valueOf),
                Optional.ofNullable(options.get("namespace")).map(String::valueOf));
    }
}
