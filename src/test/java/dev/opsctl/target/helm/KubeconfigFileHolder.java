package dev.opsctl.target.helm;

import java.nio.file.Path;

/** A process that makes a Helm kubeconfig file in the directory given and holds it, as a Helm call that does not return does. */
public final class KubeconfigFileHolder {
    private KubeconfigFileHolder() {}

    public static void main(String[] args) throws Exception {
        try (KubeconfigFile f = KubeconfigFile.of(new HelmTarget.Cluster("apiVersion: v1\nkind: Config\n", "prod"), Path.of(args[0]))) {
            System.out.println("holding " + f.path().orElseThrow());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
