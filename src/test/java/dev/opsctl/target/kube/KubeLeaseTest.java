package dev.opsctl.target.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ClusterLock;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubeLeaseTest {
    private final MockCluster k = new MockCluster();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-22T02:00:00Z"));
    /** Renewals by hand: the daemon thread's period is far beyond any test. */
    private final KubeLease leases = new KubeLease(k.target, "ops", Duration.ofSeconds(60), Duration.ofHours(1), clock);
    private final String alice = ClusterLock.identity("alice", "laptop", "run-1");
    private final String bob = ClusterLock.identity("bob", "bastion", "run-2");

    @AfterEach
    void tearDown() {
        k.close();
    }

    private Lease lease(String name) {
        return k.fabric8.leases().inNamespace("ops").withName(name).get();
    }

    @Test
    void namesAreValidObjectNames() {
        assertEquals("opsctl-userns-remap", KubeLease.leaseName("userns-remap"));
        assertEquals("opsctl-deploy-api-v2", KubeLease.leaseName("Deploy API_v2!"));
        assertTrue(KubeLease.leaseName("x".repeat(100)).length() <= 63);
    }

    @Test
    void createsTheLeaseWithTheHolderIdentity() throws Exception {
        try (ClusterLock.Handle h = leases.acquire("opsctl-deploy", alice)) {
            Lease l = lease("opsctl-deploy");
            assertEquals("alice@laptop/run-1", l.getSpec().getHolderIdentity());
            assertEquals(60, l.getSpec().getLeaseDurationSeconds());
            assertEquals(clock.instant(), l.getSpec().getRenewTime().toInstant());
            assertEquals(alice, leases.holder("opsctl-deploy").orElseThrow().identity());
            assertFalse(h.lost());
        }
    }

    @Test
    void aSecondHolderIsRefusedWhileTheLeaseIsHeld() throws Exception {
        try (ClusterLock.Handle h = leases.acquire("opsctl-deploy", alice)) {
            clock.advance(Duration.ofSeconds(59));
            ClusterLock.HeldException e = assertThrows(ClusterLock.HeldException.class, () -> leases.acquire("opsctl-deploy", bob));
            assertEquals(alice, e.holder().identity());
            assertTrue(e.getMessage().startsWith("lock 'opsctl-deploy' is held by 'alice@laptop/run-1'"), e.getMessage());
        }
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheOldHolderFindsItLost() throws Exception {
        KubeLease.Hold first = leases.acquire("opsctl-deploy", alice);
        clock.advance(Duration.ofSeconds(61));
        try (ClusterLock.Handle second = leases.acquire("opsctl-deploy", bob)) {
            Lease l = lease("opsctl-deploy");
            assertEquals(bob, l.getSpec().getHolderIdentity());
            assertEquals(1, l.getSpec().getLeaseTransitions());
            assertFalse(first.renew(), "alice's renewal finds bob holding it");
            assertTrue(first.lost());
            first.close();
            assertEquals(bob, lease("opsctl-deploy").getSpec().getHolderIdentity(), "closing a lost lock does not release the new holder's");
        }
    }

    @Test
    void renewalsMoveRenewTimeAndKeepOthersOut() throws Exception {
        try (KubeLease.Hold h = leases.acquire("opsctl-deploy", alice)) {
            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofSeconds(20));
                assertTrue(h.renew());
            }
            assertEquals(Instant.parse("2026-11-22T02:01:00Z"), lease("opsctl-deploy").getSpec().getRenewTime().toInstant());
            clock.advance(Duration.ofSeconds(30));
            assertThrows(ClusterLock.HeldException.class, () -> leases.acquire("opsctl-deploy", bob),
                    "90s after acquiring, but 30s after the last renewal: still held");
        }
    }

    @Test
    void closingReleasesSoTheNextRunNeedNotWait() throws Exception {
        leases.acquire("opsctl-deploy", alice).close();
        assertTrue(leases.holder("opsctl-deploy").isEmpty());
        try (ClusterLock.Handle h = leases.acquire("opsctl-deploy", bob)) {
            assertEquals(bob, h.identity());
        }
    }

    @Test
    void ofTwoTakersWithTheSameStaleReadOnlyOneWins() throws Exception {
        leases.acquire("opsctl-deploy", alice);
        clock.advance(Duration.ofMinutes(5));
        Lease stale = lease("opsctl-deploy");
        try (ClusterLock.Handle h = leases.acquire("opsctl-deploy", bob)) {
            stale.getSpec().setHolderIdentity("carol@desk/run-3");
            var conflict = assertThrows(io.fabric8.kubernetes.client.KubernetesClientException.class,
                    () -> k.fabric8.leases().inNamespace("ops").resource(stale).update());
            assertEquals(409, conflict.getCode(), "the write guarded by the old resourceVersion is refused");
            assertEquals(bob, lease("opsctl-deploy").getSpec().getHolderIdentity());
        }
    }

    @Test
    void theSameIdentityMayTakeItsLockAgain() throws Exception {
        try (ClusterLock.Handle a = leases.acquire("opsctl-deploy", alice); ClusterLock.Handle b = leases.acquire("opsctl-deploy", alice)) {
            assertEquals(0, lease("opsctl-deploy").getSpec().getLeaseTransitions());
        }
    }

    @Test
    void theDaemonThreadRenews() throws Exception {
        KubeLease fast = new KubeLease(k.target, "ops", Duration.ofSeconds(60), Duration.ofMillis(100), Clock.systemUTC());
        try (ClusterLock.Handle h = fast.acquire("opsctl-auto", alice)) {
            Instant first = lease("opsctl-auto").getSpec().getRenewTime().toInstant();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!lease("opsctl-auto").getSpec().getRenewTime().toInstant().isAfter(first) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(lease("opsctl-auto").getSpec().getRenewTime().toInstant().isAfter(first));
            assertFalse(h.lost());
        }
    }

    /** A clock tests move by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
