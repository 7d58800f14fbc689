package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.inventory.Connection;
import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.inventory.Host;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.OutputListener;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExecServiceTest {
    /** Plays back a scripted outcome per host name; records the peak number of concurrent calls. */
    static final class FakeTarget implements Target {
        static final AtomicInteger running = new AtomicInteger();
        static final AtomicInteger peak = new AtomicInteger();
        /** When set, a call holds until this many run at once (or 5 s), so the peak does not depend on how fast threads start. */
        static volatile java.util.concurrent.CountDownLatch together = new java.util.concurrent.CountDownLatch(0);
        /** A "hang*" host's command runs until interrupted; it counts this down when it starts, and is added to stopped when interrupted. */
        static volatile java.util.concurrent.CountDownLatch hanging = new java.util.concurrent.CountDownLatch(1);
        static final java.util.Set<String> stopped = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final String host;
        boolean closed;

        FakeTarget(String host) {
            this.host = host;
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public ExecResult exec(ExecRequest r) throws TargetException, InterruptedException {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                java.util.concurrent.CountDownLatch t = together;
                t.countDown();
                if (!t.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    together = new java.util.concurrent.CountDownLatch(0); // fewer ran at once: the peak says so, stop holding
                }
                Thread.sleep(100);
                if (host.startsWith("hang")) {
                    hanging.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        stopped.add(host); // where a real target stops the remote command
                        throw e;
                    }
                }
                if (host.startsWith("down")) {
                    throw TargetException.unreachable(host, "connection refused", null);
                }
                if (host.startsWith("lost") || host.startsWith("cut")) {
                    throw new TargetException(TargetException.Kind.CONNECTION_LOST, host, "host '" + host + "': the ssh connection broke")
                            .withOutputSoFar(new TargetException.OutputSoFar("started\n", ""))
                            .withLostCommand(host.startsWith("cut") ? TargetException.LostCommand.STOPPED
                                    : TargetException.LostCommand.MAY_STILL_RUN);
                }
                r.listener().line(OutputListener.Stream.STDOUT, "hello from " + host);
                int rc = host.startsWith("bad") ? 2 : 0;
                return new ExecResult(rc, "hello from " + host + "\n", rc == 0 ? "" : "boom\n", Duration.ofMillis(100), false, false);
            } finally {
                running.decrementAndGet();
            }
        }

        @Override
        public void put(String path, byte[] content, FileAttrs attrs) {}

        @Override
        public byte[] get(String path, Sudo sudo) {
            return new byte[0];
        }

        @Override
        public Optional<FileInfo> stat(String path, Sudo sudo) {
            return Optional.empty();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static Host host(String name) {
        return new Host(name, name, Optional.empty(), Optional.empty(), Optional.empty(), false, "root", Connection.SSH, List.of("all"),
                Map.of());
    }

    @Test
    void aHostWhoseConnectionBrokeUnderItsCommandIsLostNotUnreachableAndSaysWhetherItMayStillRun() throws Exception {
        ExecService service = new ExecService((TargetProvider.HostsOnly) h -> new FakeTarget(h.name()));
        List<HostOutcome> out = service.run(List.of(host("lost1"), host("cut1"), host("down1")),
                new ExecService.Request("uptime", Optional.empty(), false, Optional.empty(), 64), ExecService.Listener.NONE);
        assertEquals(List.of(HostOutcome.Status.LOST, HostOutcome.Status.LOST, HostOutcome.Status.UNREACHABLE),
                out.stream().map(HostOutcome::status).toList());
        assertEquals(List.of(true, false, false), out.stream().map(HostOutcome::mayStillRun).toList());
        assertEquals("started\n", out.get(0).stdout(), "what it wrote before the break");
    }

    @Test
    void reportsOkFailedAndUnreachableInInventoryOrderAndClosesEveryTarget() throws Exception {
        List<FakeTarget> opened = Collections.synchronizedList(new ArrayList<>());
        ExecService service = new ExecService((TargetProvider.HostsOnly) h -> {
            FakeTarget t = new FakeTarget(h.name());
            opened.add(t);
            return t;
        });
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        List<HostOutcome> out = service.run(List.of(host("web1"), host("bad1"), host("down1")),
                new ExecService.Request("uptime", Optional.empty(), false, Optional.empty(), 64), new ExecService.Listener() {
                    @Override
                    public void line(String h, OutputListener.Stream s, String line) {
                        lines.add(h + ": " + line);
                    }
                });
        assertEquals(List.of("web1", "bad1", "down1"), out.stream().map(HostOutcome::host).toList());
        assertEquals(HostOutcome.Status.OK, out.get(0).status());
        assertEquals(HostOutcome.Status.FAILED, out.get(1).status());
        assertEquals("exit 2: boom", out.get(1).message());
        assertEquals(HostOutcome.Status.UNREACHABLE, out.get(2).status());
        assertTrue(out.get(2).message().contains("connection refused"));
        assertTrue(lines.contains("web1: hello from web1"));
        assertTrue(opened.stream().allMatch(t -> t.closed));
    }

    @Test
    void runsAHundredHostsConcurrentlyUpToForks() throws Exception {
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hosts.add(host("h" + i));
        }
        FakeTarget.peak.set(0);
        FakeTarget.together = new java.util.concurrent.CountDownLatch(ExecService.DEFAULT_FORKS);
        long start = System.nanoTime();
        List<HostOutcome> out = new ExecService((TargetProvider.HostsOnly) h -> new FakeTarget(h.name()))
                .run(hosts, new ExecService.Request("true", Optional.empty(), false, Optional.empty(), ExecService.DEFAULT_FORKS),
                        ExecService.Listener.NONE);
        assertEquals(100, out.size());
        assertTrue(out.stream().allMatch(HostOutcome::ok));
        assertEquals(64, FakeTarget.peak.get());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "the first 64 hosts ran at once, not one after the other");
    }

    @Test
    void aStopEndsTheCommandsStillRunningAndKeepsWhatFinished() throws Exception {
        FakeTarget.hanging = new java.util.concurrent.CountDownLatch(1);
        FakeTarget.stopped.clear();
        dev.opsctl.engine.execute.StopSignal stop = new dev.opsctl.engine.execute.StopSignal();
        java.util.concurrent.CompletableFuture<ExecService.Outcomes> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new ExecService((TargetProvider.HostsOnly) h -> new FakeTarget(h.name())).run(List.of(host("web1"), host("hang1")),
                        new ExecService.Request("sleep 600", Optional.empty(), false, Optional.empty(), ExecService.DEFAULT_FORKS),
                        ExecService.Listener.NONE, stop);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(FakeTarget.hanging.await(10, java.util.concurrent.TimeUnit.SECONDS), "hang1's command is running");
        Thread.sleep(300); // web1's 100 ms command is done by now
        long asked = System.nanoTime();
        stop.request();
        ExecService.Outcomes o = run.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - asked < 3_000_000_000L, "the exec ended promptly after the stop");
        assertTrue(o.interrupted());
        assertEquals(List.of("web1", "hang1"), o.hosts().stream().map(HostOutcome::host).toList());
        assertEquals(HostOutcome.Status.OK, o.hosts().get(0).status(), o.hosts().toString());
        assertEquals(HostOutcome.Status.FAILED, o.hosts().get(1).status(), o.hosts().toString());
        assertTrue(o.hosts().get(1).message().startsWith("interrupted: its command was told to stop"), o.hosts().toString());
        assertEquals(java.util.Set.of("hang1"), FakeTarget.stopped, "the running command was interrupted, so its target stops it");
    }

    @Test
    void whatIsKeptOfEachHostsOutputFitsTheHeapWhateverTheNumberOfHosts() {
        long gib = 1L << 30;
        assertEquals(16 << 20, ExecService.captureFor(1, false, 6 * gib), "one host: the whole 16 MiB");
        assertEquals(16 << 20, ExecService.captureFor(24, false, 6 * gib));
        assertEquals(6 * gib / 8 / 200, ExecService.captureFor(100, false, 6 * gib), "100 hosts share an eighth of the heap");
        assertEquals(512L * 1024 * 1024 / 8 / 200, ExecService.captureFor(100, false, 512L << 20));
        assertEquals(64 * 1024, ExecService.captureFor(100_000, false, 512L << 20), "never less than 64 KiB");
        assertEquals(64 * 1024, ExecService.captureFor(1, true, 6 * gib), "streamed: printed as it came, only the failure line needs it");
    }
}
