package dev.opsctl.target.kube;

import dev.opsctl.target.TargetException;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the cluster the way kubectl does: the files in {@code KUBECONFIG} (else
 * {@code ~/.kube/config}) with their current context or {@code --context}; when there is no
 * kubeconfig but {@code KUBERNETES_SERVICE_HOST} is set, the pod's service account (so opsctl can
 * run as a Job). The namespace is the explicit one, else the context's, else {@code default}.
 * Reads only the environment map it is given.
 */
public final class KubeClientFactory {
    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    static final String IN_CLUSTER = "in-cluster";

    /** A resolved configuration: the context's name (or {@code in-cluster}), server, namespace, and the fabric8 config. */
    record Resolved(String context, String server, String namespace, Config config) {}

    private final Map<String, String> env;
    private final Path home;
    private final Path serviceAccount;

    public KubeClientFactory(Map<String, String> env, Path home, Path serviceAccount) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.serviceAccount = serviceAccount;
    }

    /** Reads {@code KUBECONFIG}, {@code HOME} and {@code KUBERNETES_SERVICE_*} from {@code env}. */
    public static KubeClientFactory fromEnvironment(Map<String, String> env) {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return new KubeClientFactory(env, Path.of(home), SERVICE_ACCOUNT);
    }

    /** Connects (lazily: the first call reaches the server) to a context (the current one when empty). */
    public KubeClient open(Optional<String> context, Optional<String> namespace) throws TargetException {
        Resolved r = resolve(context, namespace);
        return new KubeClient(client(r.config()), r.context(), r.server(), r.namespace());
    }

    /**
     * The kubeconfig that {@link #open} would use, as YAML text with {@code context} (else the current one)
     * as its current context and relative file paths made absolute, for a client that takes a kubeconfig
     * but no context (Helm). Empty in a pod without a kubeconfig: such clients find the service account themselves.
     */
    public String kubeconfigFor(Optional<String> context) throws TargetException {
        resolve(context, Optional.empty());
        List<File> files = kubeconfigs();
        if (files.isEmpty()) {
            return "";
        }
        File file = fileFor(files, context);
        try {
            io.fabric8.kubernetes.api.model.Config parsed = KubeConfigUtils.parseConfig(file);
            context.ifPresent(parsed::setCurrentContext);
            Path dir = file.getAbsoluteFile().toPath().getParent();
            for (var c : parsed.getClusters() == null ? List.<io.fabric8.kubernetes.api.model.NamedCluster>of() : parsed.getClusters()) {
                if (c.getCluster() != null) {
                    c.getCluster().setCertificateAuthority(absolute(dir, c.getCluster().getCertificateAuthority()));
                }
            }
            for (var u : parsed.getUsers() == null ? List.<io.fabric8.kubernetes.api.model.NamedAuthInfo>of() : parsed.getUsers()) {
                if (u.getUser() != null) {
                    u.getUser().setClientCertificate(absolute(dir, u.getUser().getClientCertificate()));
                    u.getUser().setClientKey(absolute(dir, u.getUser().getClientKey()));
                    u.getUser().setTokenFile(absolute(dir, u.getUser().getTokenFile()));
                }
            }
            return new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asYaml(parsed);
        } catch (RuntimeException e) {
            throw unusable(context.orElse("current"), "cannot read kubeconfig '" + file + "': " + KubeconfigProblem.describe(e));
        }
    }

    private static String absolute(Path dir, String file) {
        return file == null || file.isBlank() || dir == null ? file : dir.resolve(file).toString();
    }

    /** A fabric8 client on the JDK's HTTP client, as every opsctl client is built. */
    static KubernetesClient client(Config config) {
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
    }

    Resolved resolve(Optional<String> context, Optional<String> namespace) throws TargetException {
        List<File> files = kubeconfigs();
        if (files.isEmpty()) {
            String host = env.getOrDefault("KUBERNETES_SERVICE_HOST", "");
            if (!host.isBlank()) {
                if (context.isPresent()) {
                    throw unusable(context.get(), "no kubeconfig to find context '" + context.get() + "' in (running in a pod)");
                }
                return inCluster(host, env.getOrDefault("KUBERNETES_SERVICE_PORT", "443"), namespace);
            }
            throw unusable(context.orElse("current"), "no Kubernetes configuration: set KUBECONFIG, create '" + home.resolve(".kube/config")
                    + "', or run opsctl in a pod");
        }
        File file = fileFor(files, context);
        try {
            Config config = Config.fromKubeconfig(context.orElse(null), file);
            NamedContext current = config.getCurrentContext();
            String name = current == null ? context.orElse("") : current.getName();
            if (name.isEmpty() || config.getMasterUrl() == null) {
                throw unusable(context.orElse("current"), "kubeconfig '" + file + "' names no current context; pass --context");
            }
            String ns = namespace.filter(s -> !s.isBlank()).orElseGet(() -> Optional.ofNullable(config.getNamespace()).orElse("default"));
            // no retries by fabric8: it sends any request again after an I/O error, a write the server may have applied
            // included (a patch applied twice); reads are asked again by KubeErrors.read, writes never blindly
            Config tuned = new ConfigBuilder(config).withNamespace(ns).withRequestRetryBackoffLimit(0).withConnectionTimeout(10_000).build();
            return new Resolved(name, config.getMasterUrl(), ns, tuned);
        } catch (KubernetesClientException | IllegalArgumentException | UncheckedIOException e) {
            throw unusable(context.orElse("current"), "cannot read kubeconfig '" + file + "': " + KubeconfigProblem.describe(e));
        }
    }

    private List<File> kubeconfigs() {
        List<File> out = new ArrayList<>();
        String list = env.getOrDefault("KUBECONFIG", "");
        if (!list.isBlank()) {
            for (String p : list.split(File.pathSeparator)) {
                if (!p.isBlank() && Files.isRegularFile(Path.of(p))) {
                    out.add(new File(p));
                }
            }
            return out;
        }
        Path def = home.resolve(".kube").resolve("config");
        if (Files.isRegularFile(def)) {
            out.add(def.toFile());
        }
        return out;
    }

    /** With several files, the first that defines the context (or a current context) wins, as in kubectl's merge. */
    private static File fileFor(List<File> files, Optional<String> context) throws TargetException {
        List<String> known = new ArrayList<>();
        for (File f : files) {
            io.fabric8.kubernetes.api.model.Config parsed;
            try {
                parsed = KubeConfigUtils.parseConfig(f);
            } catch (RuntimeException e) {
                throw unusable(context.orElse("current"), "cannot read kubeconfig '" + f + "': " + KubeconfigProblem.describe(e));
            }
            if (context.isEmpty()) {
                if (parsed.getCurrentContext() != null && !parsed.getCurrentContext().isBlank()) {
                    return f;
                }
                continue;
            }
            for (NamedContext c : parsed.getContexts() == null ? List.<NamedContext>of() : parsed.getContexts()) {
                if (context.get().equals(c.getName())) {
                    return f;
                }
                known.add(c.getName());
            }
        }
        if (context.isEmpty()) {
            throw unusable("current", "no kubeconfig names a current context; pass --context");
        }
        throw unusable(context.get(), "context '" + context.get() + "' is not in the kubeconfig (contexts: "
                + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
    }

    private Resolved inCluster(String host, String port, Optional<String> namespace) throws TargetException {
        Path token = serviceAccount.resolve("token");
        if (!Files.isReadable(token)) {
            throw unusable(IN_CLUSTER, "KUBERNETES_SERVICE_HOST is set but the service account token '" + token + "' is not readable");
        }
        String ns = namespace.filter(s -> !s.isBlank()).orElseGet(() -> readOr(serviceAccount.resolve("namespace"), "default"));
        String server = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        ConfigBuilder b = new ConfigBuilder(Config.empty()).withMasterUrl(server).withNamespace(ns)
                // bound service-account tokens rotate: read the file for every request, as kubelet refreshes it
                .withOauthTokenProvider(() -> readOr(token, ""))
                .withRequestRetryBackoffLimit(0).withConnectionTimeout(10_000);   // no blind resends, as above
        Path ca = serviceAccount.resolve("ca.crt");
        if (Files.isReadable(ca)) {
            b.withCaCertFile(ca.toString());
        }
        return new Resolved(IN_CLUSTER, server, ns, b.build());
    }

    private static String readOr(Path p, String fallback) {
        try {
            String s = Files.readString(p, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? fallback : s;
        } catch (IOException e) {
            return fallback;
        }
    }

    private static TargetException unusable(String context, String why) {
        return new TargetException(TargetException.Kind.UNREACHABLE, context, "kube context '" + context + "' cannot be used: " + why);
    }
}
