package dev.opsctl.testhost;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load balancer in front of the test hosts, as the {@code lb-ctl} script on the controller:
 * membership per backend (named like the hosts, {@code opsctl-h1}) and a timeline of changes.
 * A runbook drains and enables backends by running {@link #command()} with {@code drain NAME} or
 * {@code enable NAME}; the test then asserts on {@link #timeline()} and {@link #maxOutAtOnce()}.
 */
public final class LoadBalancerStandIn {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final TestHostScript script;

    LoadBalancerStandIn(TestHostScript script) {
        this.script = script;
    }

    /** Absolute path of {@code lb-ctl}; it also works from inside the test hosts. */
    public Path command() {
        return script.lbCtl();
    }

    public HostExec drain(String backend) {
        return lbCtl("drain", backend);
    }

    public HostExec enable(String backend) {
        return lbCtl("enable", backend);
    }

    public void register(String backend) {
        lbCtl("register", backend).orFail();
    }

    public void reset() {
        lbCtl("reset").orFail();
    }

    /** backend name -> true when it is in service. */
    public Map<String, Boolean> status() {
        Map<String, Boolean> members = new LinkedHashMap<>();
        lbCtl("status").orFail().stdout().lines()
                .map(l -> l.trim().split(" "))
                .filter(f -> f.length == 2)
                .forEach(f -> members.put(f[0], f[1].equals("in")));
        return members;
    }

    public List<LbEvent> timeline() {
        return lbCtl("timeline").orFail().stdout().lines()
                .filter(l -> !l.isBlank())
                .map(LbEvent::parse)
                .toList();
    }

    /** The most backends that were out of service at the same moment, over the whole timeline. */
    public int maxOutAtOnce() {
        return timeline().stream().mapToInt(LbEvent::outCount).max().orElse(0);
    }

    /**
     * As {@link #maxOutAtOnce()}, counting only {@code backends} and changes from {@code since} on:
     * the stand-in is shared by every test run on this machine.
     */
    public int maxOutAtOnce(java.util.Collection<String> backends, Instant since) {
        return timeline().stream()
                .filter(e -> !e.at().isBefore(since))
                .mapToInt(e -> (int) e.out().stream().filter(backends::contains).count())
                .max().orElse(0);
    }

    private HostExec lbCtl(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", command().toString()));
        command.addAll(List.of(args));
        return script.run(command, TIMEOUT);
    }
}
