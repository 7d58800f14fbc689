package dev.opsctl.target.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeClientFactoryTest {
    @TempDir
    Path tmp;

    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            current-context: staging
            clusters:
            - name: prod-eks
              cluster: {server: "https://prod.example:6443", insecure-skip-tls-verify: true}
            - name: stg-eks
              cluster: {server: "https://stg.example:6443", insecure-skip-tls-verify: true}
            users:
            - name: ops
              user: {token: not-a-real-token}
            contexts:
            - name: prod
              context: {cluster: prod-eks, user: ops, namespace: app}
            - name: staging
              context: {cluster: stg-eks, user: ops, namespace: app-stg}
            """;

    private KubeClientFactory factory(Map<String, String> env) {
        return new KubeClientFactory(env, tmp.resolve("home"), tmp.resolve("sa"));
    }

    private Path kubeconfig() throws Exception {
        Path f = tmp.resolve("kubeconfig");
        Files.writeString(f, KUBECONFIG);
        return f;
    }

    @Test
    void theCurrentContextIsUsedWhenNoneIsGiven() throws Exception {
        var r = factory(Map.of("KUBECONFIG", kubeconfig().toString())).resolve(Optional.empty(), Optional.empty());
        assertEquals("staging", r.context());
        assertEquals("https://stg.example:6443/", r.server());
        assertEquals("app-stg", r.namespace());
    }

    @Test
    void contextPicksServerAndNamespace() throws Exception {
        var r = factory(Map.of("KUBECONFIG", kubeconfig().toString())).resolve(Optional.of("prod"), Optional.empty());
        assertEquals("prod", r.context());
        assertEquals("https://prod.example:6443/", r.server());
        assertEquals("app", r.namespace());
        assertEquals("app", r.config().getNamespace());
    }

    @Test
    void anExplicitNamespaceWins() throws Exception {
        var r = factory(Map.of("KUBECONFIG", kubeconfig().toString())).resolve(Optional.of("prod"), Optional.of("mlops"));
        assertEquals("mlops", r.namespace());
    }

    @Test
    void homeKubeConfigIsTheDefault() throws Exception {
        Files.createDirectories(tmp.resolve("home/.kube"));
        Files.writeString(tmp.resolve("home/.kube/config"), KUBECONFIG);
        assertEquals("staging", factory(Map.of()).resolve(Optional.empty(), Optional.empty()).context());
    }

    @Test
    void anUnknownContextListsTheKnownOnes() throws Exception {
        TargetException e = assertThrows(TargetException.class,
                () -> factory(Map.of("KUBECONFIG", kubeconfig().toString())).resolve(Optional.of("prd"), Optional.empty()));
        assertEquals("kube context 'prd' cannot be used: context 'prd' is not in the kubeconfig (contexts: prod, staging)", e.getMessage());
    }

    @Test
    void insideAPodTheServiceAccountIsUsed() throws Exception {
        Files.createDirectories(tmp.resolve("sa"));
        Files.writeString(tmp.resolve("sa/token"), "sa-token\n");
        Files.writeString(tmp.resolve("sa/namespace"), "jobs\n");
        var r = factory(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"))
                .resolve(Optional.empty(), Optional.empty());
        assertEquals("in-cluster", r.context());
        assertEquals("https://10.96.0.1:443", r.server());
        assertEquals("jobs", r.namespace());
        assertEquals("sa-token", r.config().getOauthTokenProvider().getToken());
        Files.writeString(tmp.resolve("sa/token"), "rotated\n");
        assertEquals("rotated", r.config().getOauthTokenProvider().getToken(), "a rotated token is read again");
    }

    @Test
    void withoutAnyConfigurationTheMessageSaysWhatToSet() {
        TargetException e = assertThrows(TargetException.class, () -> factory(Map.of()).resolve(Optional.empty(), Optional.empty()));
        assertEquals(TargetException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().contains("set KUBECONFIG"), e.getMessage());
    }

    @Test
    void opensAClientOnTheChosenContextWithoutContactingIt() throws Exception {
        try (KubeClient c = factory(Map.of("KUBECONFIG", kubeconfig().toString())).open(Optional.of("prod"), Optional.empty())) {
            assertEquals("prod", c.context());
            assertEquals("app", c.namespace());
            assertEquals("kube context 'prod' (https://prod.example:6443/)", c.describe());
        }
    }

    @Test
    void aKubeconfigThatIsNotValidYamlIsNamedWithItsPositionNeverWithTheLinesAroundIt() throws Exception {
        Path f = tmp.resolve("kubeconfig");
        for (String broken : new String[] {"users:\n- name: ops\n  user:\n    token: \"s3cr3t-t0ken\ncurrent-context: prod\n",
                "users:\n- name: ops\n  user:\n    token: s3cr3t-t0ken: x\ncurrent-context: prod\n",
                "users:\n- name: ops\n  user:\n    client-key-data: s3cr3t-t0ken\n   bad: 1\ncurrent-context: prod\n"}) {
            Files.writeString(f, "apiVersion: v1\nkind: Config\n" + broken);
            KubeClientFactory factory = factory(Map.of("KUBECONFIG", f.toString()));
            for (TargetException e : new TargetException[] {
                    assertThrows(TargetException.class, () -> factory.open(Optional.empty(), Optional.empty())),
                    assertThrows(TargetException.class, () -> factory.open(Optional.of("prod"), Optional.empty())),
                    assertThrows(TargetException.class, () -> factory.kubeconfigFor(Optional.of("prod")))}) {
                assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
                assertTrue(!e.getMessage().contains("s3cr3t"), "a credential in the message: " + e.getMessage());
                assertTrue(e.getMessage().matches("kube context '(current|prod)' cannot be used: cannot read kubeconfig '" + f
                        + "': it is not valid YAML: .*line \\d+, column \\d+.*"), e.getMessage());
                assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
            }
        }
    }
}
