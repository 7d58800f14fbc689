package dev.opsctl.target.kube;

import java.util.Locale;

/**
 * One Kubernetes object by kind and name, or a set of them by label selector (an empty {@code name}).
 * {@code kind} is the canonical kind ({@code Deployment}); {@code apiVersion} may be empty for the
 * kinds {@link KubeKinds} knows. An empty {@code namespace} means the target's default namespace.
 */
public record KubeRef(String apiVersion, String kind, String name, String namespace, String selector) {
    public static KubeRef named(String kind, String name, String namespace) {
        return new KubeRef("", kind, name, namespace, "");
    }

    public static KubeRef selected(String kind, String selector, String namespace) {
        return new KubeRef("", kind, "", namespace, selector);
    }

    public KubeRef withNamespace(String ns) {
        return new KubeRef(apiVersion, kind, name, ns, selector);
    }

    public KubeRef withName(String n) {
        return new KubeRef(apiVersion, kind, n, namespace, selector);
    }

    public boolean byName() {
        return !name.isEmpty();
    }

    /** For messages: {@code deployment 'web'}, or {@code pods with labels 'app=web'}. */
    public String describe() {
        String k = kind.toLowerCase(Locale.ROOT);
        return byName() ? k + " '" + name + "'" : k + "s with labels '" + selector + "'";
    }

    /** For messages: {@code deployment 'web' in namespace 'prod'}. */
    public String describeIn() {
        return namespace.isEmpty() ? describe() : describe() + " in namespace '" + namespace + "'";
    }
}
