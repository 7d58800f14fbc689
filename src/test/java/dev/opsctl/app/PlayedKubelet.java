package dev.opsctl.app;

import dev.opsctl.target.kube.MockCluster;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The kubelet's part for the pods opsctl runs ({@code opsctl-run-*}) in namespace prod of a mock cluster: answers the
 * pod's log, then ends its container with exit 0. The log is gVisor's dmesg for a {@code dmesg} pod and the
 * application user's {@code id} otherwise, unless {@code log} says otherwise (it gets the pod and how many dmesg pods
 * came before it).
 */
final class PlayedKubelet implements AutoCloseable {
    static final String GVISOR_DMESG = "[    0.000000] Starting gVisor...\n";
    static final String ID = "uid=1000(appuser) gid=1000(appuser)\n";

    /** Each pod as opsctl created it: name to pod. */
    final Map<String, Pod> ran = new ConcurrentHashMap<>();
    private final MockCluster k;
    private final Function<Pod, String> log;
    private final Thread thread;
    private volatile boolean closed;

    PlayedKubelet(MockCluster k) {
        this(k, PlayedKubelet::usual);
    }

    PlayedKubelet(MockCluster k, Function<Pod, String> log) {
        this.k = k;
        this.log = log;
        thread = new Thread(this::play, "played-kubelet");
        thread.setDaemon(true);
        thread.start();
    }

    static String usual(Pod p) {
        return isDmesg(p) ? GVISOR_DMESG : ID;
    }

    static boolean isDmesg(Pod p) {
        return p.getSpec().getContainers().get(0).getArgs().contains("dmesg");
    }

    /** A log function that answers the {@code n}th dmesg pod (from 1, by name) with {@code other}, every other pod as usual. */
    static Function<Pod, String> dmesgNumber(int n, String other) {
        List<String> seen = new ArrayList<>();
        return p -> {
            if (!isDmesg(p)) {
                return usual(p);
            }
            synchronized (seen) {
                String name = p.getMetadata().getName();
                if (!seen.contains(name)) {
                    seen.add(name);
                }
                return seen.indexOf(name) + 1 == n ? other : usual(p);
            }
        };
    }

    private void play() {
        while (!closed) {
            try {
                for (Pod p : k.fabric8.pods().inNamespace("prod").list().getItems()) {
                    String name = p.getMetadata().getName();
                    if (!name.startsWith("opsctl-run-") || ran.containsKey(name)) {
                        continue;
                    }
                    k.server.expect().get().withPath("/api/v1/namespaces/prod/pods/" + name + "/log?pretty=false&container=run")
                            .andReturn(200, log.apply(p)).always();
                    k.fabric8.pods().inNamespace("prod").withName(name).editStatus(x -> {
                        x.setStatus(new PodStatusBuilder().withPhase("Succeeded").withContainerStatuses(new ContainerStatusBuilder()
                                .withName("run").withNewState().withNewTerminated().withExitCode(0).endTerminated().endState().build())
                                .build());
                        return x;
                    });
                    ran.put(name, p); // only now: a pod whose log or status could not be set is tried again
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the mock server is closing
            }
        }
    }

    /** The pods run so far, in no particular order. */
    List<Pod> pods() {
        return List.copyOf(ran.values());
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(2000);
    }
}
