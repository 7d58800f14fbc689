package dev.opsctl.target.kube;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Watches closed while the object still changes, as a rollout step's watch is while a controller
 * works: the mock server must go on answering (see {@link UnblockingWatchDispatcher}).
 */
class UnblockingWatchDispatcherTest {
    /** 300 rounds (~8 s) stalled the mock's own dispatcher in each of 2 runs here; 3 x 300 with this one never did. */
    static final int ROUNDS = Integer.getInteger("rounds", 300);
    /**
     * A round slower than this is a stall: a stalled mock answers nothing for 30 s. A round of a healthy one takes ~30 ms,
     * and 3.0 s on CI's two cores while another build shared them.
     */
    static final Duration STALL = Duration.ofSeconds(10);

    /** The longest a round took: a watch until the 5th change of a busy object, then one read. */
    static Duration slowestRound(MockCluster k) throws Exception {
        Resource<ConfigMap> flag = k.fabric8.configMaps().inNamespace("prod")
                .resource(new ConfigMapBuilder().withNewMetadata().withName("flag").endMetadata().withData(Map.of("n", "0")).build());
        flag.create();
        Duration slowest = Duration.ZERO;
        int n = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            AtomicBoolean stop = new AtomicBoolean();
            int base = n;
            Thread writer = new Thread(() -> {
                for (int i = base + 1; !stop.get() && i < base + 200; i++) {
                    String v = Integer.toString(i);
                    try {
                        flag.edit(c -> new ConfigMapBuilder(c).withData(Map.of("n", v)).build());
                    } catch (RuntimeException e) {
                        return;
                    }
                }
            });
            writer.start();
            ConfigMap seen = flag.waitUntilCondition(c -> c != null && Integer.parseInt(c.getData().get("n")) >= base + 5, 20, TimeUnit.SECONDS);
            stop.set(true);
            writer.join();
            n = Integer.parseInt(flag.get().getData().get("n"));
            assertTrue(Integer.parseInt(seen.getData().get("n")) >= base + 5);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            slowest = took.compareTo(slowest) > 0 ? took : slowest;
        }
        return slowest;
    }

    @Test
    void closingAWatchWhileTheObjectChangesNeverStallsTheServer() throws Exception {
        try (MockCluster k = new MockCluster()) {
            Duration slowest = slowestRound(k);
            assertTrue(slowest.compareTo(STALL) < 0, "slowest round " + slowest);
        }
    }

    /** The same on fabric8's own dispatcher, on demand (-Dmock.stall=true): the server stalls, a read times out or a round is slow. */
    @Test
    @EnabledIfSystemProperty(named = "mock.stall", matches = "true")
    void theMocksOwnDispatcherStalls() throws Exception {
        MockCluster k = new MockCluster(false);
        boolean stalled;
        String seen;
        try {
            Duration slowest = slowestRound(k);
            stalled = slowest.compareTo(STALL) > 0;
            seen = "slowest round " + slowest;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            stalled = true;
            seen = e.getMessage();
        } finally {
            try {
                k.close();
            } catch (IllegalStateException stillBlocked) {
                // a server whose event loop is blocked cannot even shut down in time
            }
        }
        assertTrue(stalled, "no stall in " + ROUNDS + " rounds: " + seen);
    }
}
