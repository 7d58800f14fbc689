package dev.opsctl.app;

import dev.opsctl.action.Invocation;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.execute.HookVerdict;
import dev.opsctl.engine.execute.HostHooks;
import dev.opsctl.engine.execute.HostRun;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.runbook.model.Trigger;
import dev.opsctl.target.ClusterLock;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.kube.KubeClusters;
import dev.opsctl.target.kube.KubeLease;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The lock operators share: a run that touches a cluster (a step, rollback step or trigger probe of
 * a cluster step type, or the kubernetes container backend) holds the Lease {@code opsctl-<runbook>}
 * in the run's namespace while it runs, so a second operator, on any machine, is refused until it is
 * released or has expired.
 */
final class ClusterLease {
    /** Step types (by their registry names) that act on a cluster. */
    static final Set<String> CLUSTER_STEP_TYPES = Set.of("kube", "helm");
    /** A holder that stops renewing (killed, lost laptop) loses the lease this long after its last renewal. */
    static final Duration DURATION = Duration.ofSeconds(60);

    /** The taken lease and where it is, for the journal: its namespace, the cluster (for messages) and its context's name. */
    record Taken(ClusterLock.Handle handle, String namespace, String cluster, String context) {}

    private final KubeClusters clusters;
    private final Clock clock;
    private final Duration duration;

    ClusterLease(KubeClusters clusters, Clock clock, Duration duration) {
        this.clusters = clusters;
        this.clock = clock;
        this.duration = duration;
    }

    static boolean touchesCluster(Runbook rb, ClusterOptions options) {
        if (options.kubernetes()) {
            return true;
        }
        Stream<Invocation<?>> steps = Stream.concat(rb.steps().stream(), rb.rollback().stream()).map(Step::action);
        Stream<Invocation<?>> probes = rb.triggers().stream().map(Trigger::probe).flatMap(Optional::stream);
        return Stream.concat(steps, probes).anyMatch(i -> CLUSTER_STEP_TYPES.contains(i.typeName()));
    }

    /** Takes the runbook's lease for {@code identity}, or says who holds it (exit 6) or why the cluster cannot be asked (exit 1). */
    Taken take(Runbook rb, ClusterOptions options, String identity) throws OpsctlException, InterruptedException {
        String name = KubeLease.leaseName(rb.name());
        String namespace = "";
        String cluster = options.context().map(c -> "kube context '" + c + "'").orElse("the current kube context");
        String context = options.context().orElse("");
        try {
            cluster = clusters.describe(options.context());
            namespace = clusters.namespace(options.context(), options.namespace());
            context = clusters.context(options.context());
            ClusterLock lock = clusters.lock(options.context(), options.namespace(), duration, clock);
            return new Taken(lock.acquire(name, identity), namespace, cluster, context);
        } catch (ClusterLock.HeldException e) {
            ClusterLock.Holder h = e.holder();
            throw OpsctlException.locked("runbook '" + rb.name() + "' is already running against " + cluster + ": Lease '" + name
                    + "' in namespace '" + namespace + "' is held by '" + h.identity() + "' since " + h.acquired()
                    + " (last renewed " + h.renewed() + ", expires " + h.expires() + " unless renewed)"
                    + "\n  fix: wait for that run to end; if it died, its lease expires at " + h.expires()
                    + " and the next run takes it over");
        } catch (TargetException e) {
            String what = "cannot take the cluster lock '" + name + "'" + (namespace.isEmpty() ? "" : " in namespace '" + namespace + "'")
                    + ": " + e.getMessage();
            if (e.kind() == TargetException.Kind.CONNECTION_LOST) {
                // the create or takeover may have been made: a lease under an identity no run will renew or release
                throw OpsctlException.refused(what + "; if it did, the lock is held by '" + identity + "', which nothing will renew or "
                        + "release, until " + wholeSeconds(clock.instant().plus(duration)) + " (" + duration.toSeconds() + "s): until then "
                        + "every run of runbook '" + rb.name() + "' against this cluster is refused (exit 6)\n  fix: wait until then, or "
                        + "delete it: kubectl --context " + context + " -n " + namespace + " delete lease " + name);
            }
            throw OpsctlException.refused(what + "\n  fix: check the kubeconfig, --context and --namespace; "
                    + "the run needs get, create and update on leases.coordination.k8s.io");
        }
    }

    /**
     * Releases the lease; empty when done, else what the operator must know: the lease may still be held under this run's
     * identity, refusing the runbook's next run until it expires, and how to free it.
     */
    static Optional<String> release(Taken taken, String runbook) {
        Optional<ClusterLock.Unreleased> left = taken.handle().release();
        if (left.isEmpty()) {
            return Optional.empty();
        }
        ClusterLock.Unreleased u = left.get();
        String name = taken.handle().name();
        return Optional.of("cluster lock '" + name + "' in namespace '" + taken.namespace() + "' " + (u.mayBeReleased()
                ? "may not have been released: " + u.why() + "; if not, it" : "was not released: " + u.why() + "; it") + " stays held by '"
                + taken.handle().identity() + "' until " + wholeSeconds(u.expires()) + " (" + u.duration().toSeconds() + "s after its last renewal): "
                + "until then another run of runbook '" + runbook + "' against this cluster is refused (exit 6)"
                + "; fix: wait until then, or delete it: kubectl --context " + taken.context() + " -n " + taken.namespace()
                + " delete lease " + name);
    }

    /** Rounded up: a lease is free only once its expiry has passed. */
    private static java.time.Instant wholeSeconds(java.time.Instant t) {
        java.time.Instant down = t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return down.equals(t) ? t : down.plusSeconds(1);
    }

    /** Stops the run before its next step once the lease was lost (taken over after renewals failed for a whole lease duration). */
    static HostHooks guard(Taken taken) {
        return new HostHooks() {
            @Override
            public HookVerdict beforeHost(HostRun host) {
                return check();
            }

            @Override
            public HookVerdict afterStep(HostRun host, Step step, dev.opsctl.action.StepResult result) {
                return check();
            }

            private HookVerdict check() {
                if (!taken.handle().lost()) {
                    return HookVerdict.CONTINUE;
                }
                return HookVerdict.stop("failed", ExitCodes.LOCKED, true, "lost the cluster lock '" + taken.handle().name()
                        + "' in namespace '" + taken.namespace() + "' (not renewed for " + DURATION.toSeconds()
                        + "s, or taken over): stopping before another step");
            }
        };
    }
}
