package dev.opsctl.target.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.ReleaseHistory;
import com.marcnuri.helm.TemplateCommand;
import com.marcnuri.helm.UpgradeCommand;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.TargetException.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@link HelmTarget} on helm-java 0.0.21 (Helm 3 compiled into a native library, called through JNA).
 * Calls are serialised: the library keeps process-wide Helm settings. helm-java reports every failure
 * as an unchecked exception carrying Helm's message; this class turns them into {@link TargetException}s.
 */
final class HelmJava implements HelmTarget {
    static final String WHO = "helm";

    private HelmJava() {}

    /** Loads the native library now, so a platform without it fails once, with a clear message. */
    static HelmJava load() throws TargetException {
        try {
            Helm.version().call();
            return new HelmJava();
        } catch (LinkageError | RuntimeException e) {
            throw new TargetException(Kind.UNREACHABLE, WHO, "cannot load Helm's native library (helm-java 0.0.21, "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "): " + message(e), e);
        }
    }

    @Override
    public synchronized String template(Chart c) throws TargetException {
        TemplateCommand t = new Helm(c.chart()).template().withName(c.release());
        if (!c.namespace().isEmpty()) {
            t.withNamespace(c.namespace());
        }
        c.valuesFiles().forEach(t::withValuesFile);
        c.set().forEach((k, v) -> t.set(k, v));
        return call("cannot render chart '" + c.chart() + "'", t, HelmErrors.Call.READ);
    }

    @Override
    public synchronized Lint lint(Chart c) throws TargetException {
        // helm-java's lint takes neither values files nor --set: lint the chart, then render it with them
        LintCommand l = new Helm(c.chart()).lint();
        LintResult r = call("cannot lint chart '" + c.chart() + "'", l, HelmErrors.Call.READ);
        List<String> messages = new ArrayList<>(r.getMessages());
        boolean failed = r.isFailed();
        if (!failed && (!c.valuesFiles().isEmpty() || !c.set().isEmpty())) {
            try {
                template(c);
            } catch (TargetException e) {
                messages.add("[ERROR] with the given values: " + e.getMessage());
                failed = true;
            }
        }
        return new Lint(failed, messages);
    }

    @Override
    public synchronized Release deploy(Cluster k, Deploy d) throws TargetException {
        try (KubeconfigFile kubeconfig = KubeconfigFile.of(k)) {
            return deploy(kubeconfig, d);
        }
    }

    private Release deploy(KubeconfigFile kubeconfig, Deploy d) throws TargetException {
        Chart c = d.chart();
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.timeout().toSeconds()));
        String what = "cannot " + (d.upgrade() ? "upgrade" : "install") + " release '" + c.release() + "' in namespace '" + c.namespace() + "'";
        if (d.upgrade()) {
            UpgradeCommand u = new Helm(c.chart()).upgrade().withName(c.release()).withNamespace(c.namespace()).withTimeout(seconds);
            c.valuesFiles().forEach(u::withValuesFile);
            c.set().forEach((key, v) -> u.set(key, v));
            kubeconfig.path().ifPresent(u::withKubeConfig);
            if (d.install()) {
                u.install();
            }
            if (d.createNamespace()) {
                u.createNamespace();
            }
            if (d.waitReady()) {
                u.waitReady();
            }
            if (d.atomic()) {
                u.atomic();
            }
            return release(call(what, u, HelmErrors.Call.CHANGE));
        }
        InstallCommand i = new Helm(c.chart()).install().withName(c.release()).withNamespace(c.namespace()).withTimeout(seconds);
        c.valuesFiles().forEach(i::withValuesFile);
        c.set().forEach((key, v) -> i.set(key, v));
        kubeconfig.path().ifPresent(i::withKubeConfig);
        if (d.createNamespace()) {
            i.createNamespace();
        }
        if (d.waitReady()) {
            i.waitReady();
        }
        if (d.atomic()) {
            i.atomic();
        }
        return release(call(what, i, HelmErrors.Call.CHANGE));
    }

    @Override
    public synchronized String uninstall(Cluster k, String release, String namespace) throws TargetException {
        var u = Helm.uninstall(release).withNamespace(namespace);
        try (KubeconfigFile kubeconfig = KubeconfigFile.of(k)) {
            kubeconfig.path().ifPresent(u::withKubeConfig);
            return call("cannot uninstall release '" + release + "' in namespace '" + namespace + "'", u, HelmErrors.Call.CHANGE).strip();
        }
    }

    @Override
    public synchronized Release status(Cluster k, String release, String namespace) throws TargetException {
        var s = Helm.status(release).withNamespace(namespace);
        try (KubeconfigFile kubeconfig = KubeconfigFile.of(k)) {
            kubeconfig.path().ifPresent(s::withKubeConfig);
            return release(read("cannot read release '" + release + "' in namespace '" + namespace + "'", s));
        }
    }

    @Override
    public synchronized List<Revision> history(Cluster k, String release, String namespace) throws TargetException {
        var h = Helm.history(release).withNamespace(namespace);
        List<ReleaseHistory> history;
        try (KubeconfigFile kubeconfig = KubeconfigFile.of(k)) {
            kubeconfig.path().ifPresent(h::withKubeConfig);
            history = read("cannot read the history of release '" + release + "' in namespace '" + namespace + "'", h);
        }
        List<Revision> out = new ArrayList<>();
        for (ReleaseHistory r : history) {
            out.add(new Revision(r.getRevision(), nz(r.getStatus()), nz(r.getChart()), nz(r.getAppVersion()), nz(r.getDescription()),
                    r.getUpdated() == null ? "" : r.getUpdated().toString()));
        }
        return out;
    }

    private static Release release(com.marcnuri.helm.Release r) {
        long revision;
        try {
            revision = Long.parseLong(nz(r.getRevision()).strip());
        } catch (NumberFormatException e) {
            revision = 0;
        }
        return new Release(nz(r.getName()), nz(r.getNamespace()), revision, nz(r.getStatus()), nz(r.getChart()), nz(r.getAppVersion()));
    }

    private static <T> T call(String what, Callable<T> c, HelmErrors.Call kind) throws TargetException {
        try {
            return c.call();
        } catch (LinkageError e) {
            throw new TargetException(Kind.UNREACHABLE, WHO, what + ": Helm's native library failed: " + message(e), e);
        } catch (Exception e) {
            throw HelmErrors.translate(what, message(e), e, kind);
        }
    }

    /** A call that only reads: asked once more when its connection broke (as kube reads are); broken again, unreachable. */
    static <T> T read(String what, Callable<T> c) throws TargetException {
        try {
            return call(what, c, HelmErrors.Call.READ);
        } catch (TargetException first) {
            if (first.kind() != Kind.CONNECTION_LOST) {
                throw first;
            }
        }
        try {
            return call(what, c, HelmErrors.Call.READ);
        } catch (TargetException again) {
            throw again.kind() == Kind.CONNECTION_LOST ? HelmErrors.brokenTwice(again) : again;
        }
    }

    /** Helm's message without its trailing advice ("Use --debug flag ..."), which names a flag opsctl does not have. */
    static String message(Throwable e) {
        String m = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
        List<String> lines = m.lines().map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("Use --debug flag")).toList();
        return String.join("; ", lines);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
