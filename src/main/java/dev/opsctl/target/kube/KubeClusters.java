package dev.opsctl.target.kube;

import dev.opsctl.target.ClusterLock;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.container.ContainerBackend;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What a run uses of a cluster besides its {@code kube} steps: the pods of a namespace as its
 * container backend ({@code --backend kubernetes}) and a Lease as the lock operators share. The
 * context empty means the kubeconfig's current one (or the pod's service account in-cluster); the
 * namespace empty means the context's. Thread-safe; connections come from {@link KubeConnections}.
 */
public final class KubeClusters {
    private final KubeConnections connections;

    public KubeClusters(KubeConnections connections) {
        this.connections = connections;
    }

    /** The cluster of {@code context}, for messages: {@code kube context 'prod' (https://...)}. */
    public String describe(Optional<String> context) throws TargetException {
        return client(context).describe();
    }

    /** The name of the context {@code context} resolves to (the kubeconfig's current one when empty). */
    public String context(Optional<String> context) throws TargetException {
        return client(context).context();
    }

    /** The namespace a run uses: {@code namespace} when given, else the context's default. */
    public String namespace(Optional<String> context, Optional<String> namespace) throws TargetException {
        return namespace.filter(n -> !n.isBlank()).orElse(client(context).namespace());
    }

    public ContainerBackend containers(Optional<String> context, Optional<String> namespace) throws TargetException {
        KubeClient c = client(context);
        return new KubeContainerBackend(c, namespace(context, namespace));
    }

    /** Leases in the run's namespace, {@code duration} long, renewed every third of it. */
    public ClusterLock lock(Optional<String> context, Optional<String> namespace, Duration duration, Clock clock) throws TargetException {
        return new KubeLease(client(context), namespace(context, namespace), duration, clock);
    }

    private KubeClient client(Optional<String> context) throws TargetException {
        KubeTarget t = connections.connect(context.filter(s -> !s.isBlank()));
        if (t instanceof KubeClient c) {
            return c;
        }
        throw TargetException.remoteFailed(t.context(), t.describe() + " is not a fabric8 client; it cannot hold leases or run pods");
    }
}
