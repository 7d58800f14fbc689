package dev.opsctl.target.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * A cluster set up as the EKS + gVisor documents design it (checklists/cluster-readiness.yaml passes on it):
 * namespaces app, mlops, monitoring and sandboxes at Pod Security 'restricted', quotas, a default-deny egress
 * NetworkPolicy in sandboxes, the gvisor RuntimeClass, the api-server HPA and PDB.
 */
public final class PreparedCluster {
    private PreparedCluster() {}

    public static void prepare(KubernetesClient fabric8) {
        for (String ns : List.of("app", "mlops", "monitoring", "sandboxes")) {
            apply(fabric8, """
                    apiVersion: v1
                    kind: Namespace
                    metadata:
                      name: %s
                      labels:
                        pod-security.kubernetes.io/enforce: restricted
                        pod-security.kubernetes.io/warn: restricted
                        pod-security.kubernetes.io/audit: restricted
                    """.formatted(ns));
        }
        for (String[] q : List.of(new String[] {"app", "10", "20Gi"}, new String[] {"mlops", "20", "40Gi"}, new String[] {"monitoring", "5", "10Gi"})) {
            apply(fabric8, """
                    apiVersion: v1
                    kind: ResourceQuota
                    metadata: {name: %1$s-quota, namespace: %1$s}
                    spec:
                      hard: {requests.cpu: "%2$s", requests.memory: %3$s, pods: "50"}
                    """.formatted(q[0], q[1], q[2]));
        }
        apply(fabric8, """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: default-deny-egress, namespace: sandboxes}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                """);
        apply(fabric8, """
                apiVersion: node.k8s.io/v1
                kind: RuntimeClass
                metadata: {name: gvisor}
                handler: runsc
                """);
        apply(fabric8, """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: api-server, namespace: app}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api-server}
                  minReplicas: 3
                  maxReplicas: 10
                """);
        apply(fabric8, """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: api-server, namespace: app}
                spec:
                  minAvailable: 2
                  selector: {matchLabels: {app: api-server}}
                """);
        }

    private static void apply(KubernetesClient fabric8, String yaml) {
        fabric8.resource(yaml).create();
    }
}
