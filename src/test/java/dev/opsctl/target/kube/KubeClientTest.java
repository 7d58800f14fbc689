package dev.opsctl.target.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubeClientTest {
    private final MockCluster k = new MockCluster();

    @AfterEach
    void tearDown() {
        k.close();
    }

    @Test
    void getsAnObjectAsAMap() throws Exception {
        k.deployment("web", "nginx:1.25", 3);
        Map<String, Object> d = k.target.get(KubeRef.named("deploy", "web", "")).orElseThrow();
        assertEquals("web", ObjectMaps.str(d, "metadata", "name"));
        assertEquals(3L, ObjectMaps.num(d, "spec", "replicas"));
    }

    @Test
    void applyFallsBackToCreateOrReplace() throws Exception {
        String m = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {a: "1"}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec: {containers: [{name: api, image: "api:1"}]}
                """;
        List<KubeTarget.Applied> first = k.target.apply(m, "");
        assertEquals(List.of(new KubeTarget.Applied("ConfigMap", "settings", "prod", "created", false),
                new KubeTarget.Applied("Deployment", "api", "prod", "created", false)), first);
        List<KubeTarget.Applied> second = k.target.apply(m.replace("\"1\"", "\"2\""), "");
        assertEquals("configured", second.get(0).action(), second.toString());
        assertEquals("2", ObjectMaps.str(k.target.get(KubeRef.named("ConfigMap", "settings", "")).orElseThrow(), "data", "a"));
        assertTrue(true);
    }
}
