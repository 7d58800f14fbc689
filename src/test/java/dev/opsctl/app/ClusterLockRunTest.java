package dev.opsctl.app;

import static dev.opsctl.engine.fakes.TestRunbooks.hosts;
import static dev.opsctl.engine.fakes.TestRunbooks.n;
import static dev.opsctl.engine.fakes.TestRunbooks.serial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.StepResult;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.execute.HostHooks;
import dev.opsctl.engine.fakes.TestRunbooks;
import dev.opsctl.engine.fakes.TestSteps;
import dev.opsctl.target.ClusterLock;
import dev.opsctl.target.kube.KubeClusters;
import dev.opsctl.target.kube.KubeConnections;
import dev.opsctl.target.kube.KubeLease;
import dev.opsctl.target.kube.MockCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Lease operators share, wired into runs, against fabric8's mock API server (CRUD). */
class ClusterLockRunTest {
    private static final String LEASE = "opsctl-test";

    @TempDir
    Path tmp;

    private final MockCluster k = new MockCluster();

    @AfterEach
    void tearDown() {
        k.close();
    }

    private Services services(AppFixture fx) {
        return new Services(fx.env(), p -> fx.runbook.get(), p -> fx.inventory, fx.targets, HostHooks.NONE, fx.clock.sleeper(),
                fx.prompter, new Random(42), GateSetup.besideRunbooks(), new KubeClusters(KubeConnections.of(k.target)),
                Duration.ofSeconds(60));
    }

    private AppFixture fixture(TestSteps... steps) {
        return new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), steps), hosts(1));
    }

    /** Bob's run on another machine holds the lease (it renews by hand here: never, in these tests). */
    private ClusterLock.Handle heldByBob(AppFixture fx) throws Exception {
        return new KubeLease(k.target, "prod", Duration.ofSeconds(60), Duration.ofHours(1), fx.clock).acquire(LEASE, "bob@laptop/run-1");
    }

    private Optional<ClusterLock.Holder> holder(AppFixture fx) throws Exception {
        return new KubeLease(k.target, "prod", Duration.ofSeconds(60), fx.clock).holder(LEASE);
    }

    private static String journal(Path stateDir) throws Exception {
        try (Stream<Path> s = Files.list(stateDir.resolve("runs"))) {
            return Files.readString(s.findFirst().orElseThrow().resolve("journal.jsonl"));
        }
    }

    @Test
    void aSecondRunIsRefusedWhileTheLeaseIsHeldNamingHolderSinceAndExpiry() throws Exception {
        AppFixture fx = fixture(TestSteps.ok("deploy").ofType("kube"));
        heldByBob(fx);
        fx.clock.advance(Duration.ofSeconds(20));
        OpsctlException e = assertThrows(OpsctlException.class, () -> services(fx).runs().run(fx.request(), fx.events));
        assertEquals(ExitCodes.LOCKED, e.exitCode());
        assertEquals("runbook 'test' is already running against kube context 'mock' (" + k.fabric8.getConfiguration().getMasterUrl()
                + "): Lease 'opsctl-test' in namespace 'prod' is held by 'bob@laptop/run-1' since 2026-11-22T03:00:00Z (last renewed "
                + "2026-11-22T03:00:00Z, expires 2026-11-22T03:01:00Z unless renewed)\n  fix: wait for that run to end; if it died, "
                + "its lease expires at 2026-11-22T03:01:00Z and the next run takes it over", e.getMessage());
        assertFalse(Files.exists(fx.stateDir.resolve("runs")), "nothing was started");
        assertEquals("bob@laptop/run-1", holder(fx).orElseThrow().identity());
    }

    @Test
    void aRunProceedsOnceTheHoldersLeaseExpiredAndHoldsItWhileRunning() throws Exception {
        AtomicReference<String> heldDuringStep = new AtomicReference<>();
        AtomicReference<AppFixture> ref = new AtomicReference<>();
        AppFixture fx = fixture(TestSteps.step("deploy", (ctx, call) -> {
            heldDuringStep.set(holder(ref.get()).map(ClusterLock.Holder::identity).orElse("nobody"));
            return StepResult.ok("", Map.of());
        }).ofType("kube"));
        ref.set(fx);
        heldByBob(fx);
        fx.clock.advance(Duration.ofSeconds(61));
        assertEquals(0, services(fx).runs().run(fx.request(), fx.events));
        assertTrue(heldDuringStep.get().startsWith("alice@") && heldDuringStep.get().matches("alice@[^/]+/\\d{8}-\\d{6}-[0-9a-f]+"),
                heldDuringStep.get());
        assertTrue(holder(fx).isEmpty(), "released at the end");
        String journal = journal(fx.stateDir);
        assertTrue(journal.contains("cluster lock 'opsctl-test' taken in namespace 'prod' of kube context 'mock'"), journal);
        assertTrue(journal.contains("as '" + heldDuringStep.get() + "'"), journal);
        assertTrue(journal.indexOf("cluster lock 'opsctl-test' released") > journal.indexOf("\"type\":\"step-finished\""), journal);
    }

    @Test
    void theLeaseIsReleasedAfterAFailedRunToo() throws Exception {
        AppFixture fx = fixture(TestSteps.step("deploy", (ctx, call) -> StepResult.failed("boom", Map.of())).ofType("helm"));
        assertEquals(ExitCodes.FAILED, services(fx).runs().run(fx.request(), fx.events));
        assertTrue(holder(fx).isEmpty());
        String journal = journal(fx.stateDir);
        assertTrue(journal.contains("cluster lock 'opsctl-test' taken") && journal.contains("cluster lock 'opsctl-test' released"),
                journal);
    }

    @Test
    void aRunThatTouchesNoClusterTakesNoLease() throws Exception {
        AppFixture fx = fixture(TestSteps.ok("restart"));
        assertEquals(0, services(fx).runs().run(fx.request(), fx.events));
        assertNull(k.fabric8.leases().inNamespace("prod").withName(LEASE).get());
        assertFalse(journal(fx.stateDir).contains("cluster lock"));
    }

    @Test
    void theKubernetesContainerBackendAloneTakesTheLeaseInItsNamespace() throws Exception {
        AppFixture fx = fixture(TestSteps.ok("restart"));
        ClusterOptions kube = new ClusterOptions(ClusterOptions.Backend.KUBERNETES, Optional.empty(), Optional.of("workspaces"));
        assertEquals(0, services(fx).runs().run(fx.request().withCluster(kube), fx.events));
        var lease = k.fabric8.leases().inNamespace("workspaces").withName(LEASE).get();
        assertTrue(lease != null && lease.getSpec().getHolderIdentity() == null, "taken in 'workspaces' and released");
        assertTrue(journal(fx.stateDir).contains("\"backend\":\"kubernetes\""), "the header keeps the backend for resume");
    }

    @Test
    void aDryRunTakesNoLease() throws Exception {
        AppFixture fx = fixture(TestSteps.ok("deploy").ofType("kube"));
        heldByBob(fx);
        assertEquals(0, services(fx).runs().run(fx.request().withDryRun(true), fx.events));
    }
}
