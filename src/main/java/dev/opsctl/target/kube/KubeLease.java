package dev.opsctl.target.kube;

import dev.opsctl.target.ClusterLock;
import dev.opsctl.target.TargetException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClusterLock} on {@code coordination.k8s.io/v1} Leases in one namespace. Taking a lock is
 * create-if-absent (a 409 means someone else just created it) or, for a released or expired lease
 * ({@code renewTime + leaseDurationSeconds} in the past), an update guarded by the resourceVersion
 * that was read, so of two takers exactly one wins. A held lease is renewed every third of its
 * duration on a daemon thread; closing clears the holder. The clock is injectable for tests.
 */
public final class KubeLease implements ClusterLock {
    private final KubeClient kube;
    private final String namespace;
    private final Duration duration;
    private final Duration renewEvery;
    private final Clock clock;

    public KubeLease(KubeClient kube, String namespace, Duration duration, Clock clock) {
        this(kube, namespace, duration, duration.dividedBy(3), clock);
    }

    /** With an explicit renewal period (tests: a long one, renewing by hand). */
    public KubeLease(KubeClient kube, String namespace, Duration duration, Duration renewEvery, Clock clock) {
        this.kube = kube;
        this.namespace = namespace.isEmpty() ? kube.namespace() : namespace;
        this.duration = duration;
        this.renewEvery = renewEvery;
        this.clock = clock;
    }

    /** {@code opsctl-<runbook>}, made a valid object name (lower-case letters, digits and '-', at most 63 characters). */
    public static String leaseName(String runbook) {
        String s = ("opsctl-" + runbook).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-+$", "");
        return s.length() > 63 ? s.substring(0, 63).replaceAll("-+$", "") : s;
    }

    private Resource<Lease> lease(String name) {
        return kube.fabric8().leases().inNamespace(namespace).withName(name);
    }

    private KubeRef ref(String name) {
        return KubeRef.named("Lease", name, namespace);
    }

    @Override
    public Hold acquire(String name, String identity) throws HeldException, TargetException, InterruptedException {
        for (int attempt = 0; attempt < 3; attempt++) {
            Lease current = kube.read(ref(name), () -> lease(name).get());
            Instant now = clock.instant();
            if (current == null) {
                Lease fresh = new Lease();
                fresh.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                        .withLabels(Map.of("app.kubernetes.io/managed-by", "opsctl")).build());
                fresh.setSpec(spec(identity, now, now, 0));
                if (write(name, () -> kube.fabric8().leases().inNamespace(namespace).resource(fresh).create())) {
                    return start(name, identity);
                }
                continue;
            }
            Optional<Holder> holder = holderOf(current);
            if (holder.isPresent() && !holder.get().identity().equals(identity) && holder.get().expires().isAfter(now)) {
                throw new HeldException(name, holder.get());
            }
            LeaseSpec old = Objects.requireNonNullElse(current.getSpec(), new LeaseSpec());
            boolean same = holder.isPresent() && holder.get().identity().equals(identity);
            int transitions = Objects.requireNonNullElse(old.getLeaseTransitions(), 0) + (same ? 0 : 1);
            Instant acquired = same && old.getAcquireTime() != null ? old.getAcquireTime().toInstant() : now;
            current.setSpec(spec(identity, acquired, now, transitions));
            if (write(name, () -> kube.fabric8().leases().inNamespace(namespace).resource(current).update())) {
                return start(name, identity);
            }
        }
        Lease l = kube.read(ref(name), () -> lease(name).get());
        Optional<Holder> h = l == null ? Optional.empty() : holderOf(l);
        throw new HeldException(name, h.orElse(new Holder("unknown (the lease changed while being taken)", clock.instant(), duration)));
    }

    /** True when the write went through; false on 409 (someone else created or changed the lease first). */
    private boolean write(String name, java.util.function.Supplier<Lease> w) throws TargetException, InterruptedException {
        boolean[] won = {true};
        kube.call(ref(name), () -> {
            try {
                return w.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    won[0] = false;
                    return null;
                }
                throw e;
            }
        });
        return won[0];
    }

    private LeaseSpec spec(String identity, Instant acquired, Instant renewed, int transitions) {
        LeaseSpec s = new LeaseSpec();
        s.setHolderIdentity(identity);
        s.setLeaseDurationSeconds((int) Math.max(1, duration.toSeconds()));
        s.setAcquireTime(ZonedDateTime.ofInstant(acquired, ZoneOffset.UTC));
        s.setRenewTime(ZonedDateTime.ofInstant(renewed, ZoneOffset.UTC));
        s.setLeaseTransitions(transitions);
        return s;
    }

    static Optional<Holder> holderOf(Lease l) {
        LeaseSpec s = l.getSpec();
        if (s == null || s.getHolderIdentity() == null || s.getHolderIdentity().isBlank()) {
            return Optional.empty();
        }
        Instant renewed = s.getRenewTime() != null ? s.getRenewTime().toInstant()
                : s.getAcquireTime() != null ? s.getAcquireTime().toInstant() : Instant.EPOCH;
        Instant acquired = s.getAcquireTime() != null ? s.getAcquireTime().toInstant() : renewed;
        return Optional.of(new Holder(s.getHolderIdentity(), acquired, renewed,
                Duration.ofSeconds(Objects.requireNonNullElse(s.getLeaseDurationSeconds(), 0))));
    }

    @Override
    public Optional<Holder> holder(String name) throws TargetException, InterruptedException {
        Lease l = kube.read(ref(name), () -> lease(name).get());
        return l == null ? Optional.empty() : holderOf(l);
    }

    private Hold start(String name, String identity) {
        Hold h = new Hold(name, identity, clock.instant());
        h.schedule();
        return h;
    }

    /** A held lease, renewed on a daemon thread until closed. */
    public final class Hold implements Handle {
        private final String name;
        private final String identity;
        private volatile boolean lost;
        private volatile boolean closed;
        private volatile Instant lastRenewed;
        private Optional<Unreleased> released = Optional.empty();
        private ScheduledExecutorService timer;

        Hold(String name, String identity, Instant now) {
            this.name = name;
            this.identity = identity;
            this.lastRenewed = now;
        }

        private void schedule() {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "opsctl-lease-" + name);
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(1, renewEvery.toMillis());
            timer.scheduleWithFixedDelay(() -> {
                try {
                    renew();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, ms, ms, TimeUnit.MILLISECONDS);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String identity() {
            return identity;
        }

        @Override
        public boolean lost() {
            return lost;
        }

        /** One renewal: what the daemon thread does every period. Returns whether the lease is still held. */
        public synchronized boolean renew() throws InterruptedException {
            if (lost || closed) {
                return !lost && !closed;
            }
            try {
                Lease l = kube.read(ref(name), () -> lease(name).get());
                Optional<Holder> h = l == null ? Optional.empty() : holderOf(l);
                if (h.isEmpty() || !h.get().identity().equals(identity)) {
                    lost = true;
                    return false;
                }
                Instant now = clock.instant();
                l.getSpec().setRenewTime(ZonedDateTime.ofInstant(now, ZoneOffset.UTC));
                if (write(name, () -> kube.fabric8().leases().inNamespace(namespace).resource(l).update())) {
                    lastRenewed = now;
                }
                // a 409 means the lease changed under us: the next renewal re-reads it and finds out whose it is
            } catch (TargetException e) {
                // the API server may be briefly unreachable; the lease is only lost once it could have expired
            }
            if (clock.instant().isAfter(lastRenewed.plus(duration))) {
                lost = true;
            }
            return !lost;
        }

        @Override
        public synchronized Optional<Unreleased> release() {
            if (closed) {
                return released;
            }
            closed = true;
            if (timer != null) {
                timer.shutdownNow();
            }
            if (lost) {
                return released;
            }
            try {
                Lease l = kube.read(ref(name), () -> lease(name).get());
                if (l != null && holderOf(l).map(h -> h.identity().equals(identity)).orElse(false)) {
                    l.getSpec().setHolderIdentity(null);
                    // a 409: the lease changed since it was read, so it is no longer this process's to release
                    write(name, () -> kube.fabric8().leases().inNamespace(namespace).resource(l).update());
                }
            } catch (TargetException e) {
                released = Optional.of(new Unreleased(e.getMessage(), e.kind() == TargetException.Kind.CONNECTION_LOST,
                        lastRenewed.plus(duration), duration));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                released = Optional.of(new Unreleased("interrupted while releasing it", true, lastRenewed.plus(duration), duration));
            }
            return released;
        }
    }
}
