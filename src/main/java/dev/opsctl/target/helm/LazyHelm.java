package dev.opsctl.target.helm;

import dev.opsctl.target.TargetException;
import java.util.List;

/** Creates the helm-java target on the first call: loading Helm's native library costs 1-2.5 s and ~100 MB. */
final class LazyHelm implements HelmTarget {
    private HelmTarget helm;

    private synchronized HelmTarget helm() throws TargetException {
        if (helm == null) {
            helm = HelmJava.load();
        }
        return helm;
    }

    @Override
    public String template(Chart chart) throws TargetException {
        return helm().template(chart);
    }

    @Override
    public Lint lint(Chart chart) throws TargetException {
        return helm().lint(chart);
    }

    @Override
    public Release deploy(Cluster cluster, Deploy deploy) throws TargetException {
        return helm().deploy(cluster, deploy);
    }

    @Override
    public String uninstall(Cluster cluster, String release, String namespace) throws TargetException {
        return helm().uninstall(cluster, release, namespace);
    }

    @Override
    public Release status(Cluster cluster, String release, String namespace) throws TargetException {
        return helm().status(cluster, release, namespace);
    }

    @Override
    public List<Revision> history(Cluster cluster, String release, String namespace) throws TargetException {
        return helm().history(cluster, release, namespace);
    }
}
