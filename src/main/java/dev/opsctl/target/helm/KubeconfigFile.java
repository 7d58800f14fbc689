package dev.opsctl.target.helm;

import dev.opsctl.target.TargetException;
import dev.opsctl.target.TargetException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * A cluster's kubeconfig text as a file readable by this user only, for the length of one Helm call. helm-java's
 * {@code withKubeConfigContents} is not honoured by every phase of a call (manusa/helm-java#252: an upgrade --install
 * of a new release installs through the default kubeconfig, another cluster or none), while a file path is.
 */
final class KubeconfigFile implements AutoCloseable {
    private final Optional<Path> path;

    private KubeconfigFile(Optional<Path> path) {
        this.path = path;
    }

    /** The file for {@code cluster}'s kubeconfig; none when it has none (Helm finds the cluster itself, e.g. in a pod). */
    static KubeconfigFile of(HelmTarget.Cluster cluster) throws TargetException {
        return of(cluster, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** As {@link #of(HelmTarget.Cluster)}, in {@code dir}. */
    static KubeconfigFile of(HelmTarget.Cluster cluster, Path dir) throws TargetException {
        if (cluster.kubeconfig().isEmpty()) {
            return new KubeconfigFile(Optional.empty());
        }
        try {
            Path file = Files.createTempFile(dir, "opsctl-helm-", ".kubeconfig",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // a Helm call cannot be interrupted: Ctrl-C ends the JVM with it under way, and close() never runs. Deleted on
            // exit, after the shutdown hooks (the run's grace included), so never under a Helm call that still reads it
            file.toFile().deleteOnExit();
            try {
                Files.writeString(file, cluster.kubeconfig(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            return new KubeconfigFile(Optional.of(file));
        } catch (IOException | UnsupportedOperationException e) {
            throw new TargetException(Kind.UNREACHABLE, HelmJava.WHO, "cannot write the kubeconfig of kube context '" + cluster.context()
                    + "' for Helm to a temporary file: " + e.getMessage(), e);
        }
    }

    Optional<Path> path() {
        return path;
    }

    @Override
    public void close() {
        path.ifPresent(p -> {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // left in the temporary directory, readable by this user only
            }
        });
    }
}
