package dev.opsctl.testhost;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The load balancer in front of the test hosts, as the {@code lb-ctl} script on the controller:
 * membership per backend (named like the hosts, {@code opsctl-h1}) and a timeline of changes.
 * A runbook drains and enables backends by running {@link #command()} with {@code drain NAME} or
 * {@code enable NAME}; the test then asserts on {@link #timeline()} and {@link #maxOutAtOnce()}.
 */
public final class LoadBalancerStandIn {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final TestHostScript script;
    private final Optional<Path> dir;

    LoadBalancerStandIn(TestHostScript script) {
        this(script, Optional.empty());
    }

    LoadBalancerStandIn(TestHostScript script, Optional<Path> dir) {
        this.script = script;
        this.dir = dir;
    }

    /**
     * The command line to drain or enable a backend with, for a runbook's load-balancer params
     * ({@code COMMAND drain opsctl-h1}): {@link #command()}, with the state directory of a private
     * load balancer in front of it.
     */
    public String commandLine() {
        return dir.map(d -> "env OPSCTL_LB_DIR=" + d + " " + command()).orElse(command().toString());
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

    private HostExec lbCtl(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", command().toString()));
        command.addAll(List.of(args));
        return script.run(command, TIMEOUT, dir.map(d -> Map.of("OPSCTL_LB_DIR", d.toString())).orElse(Map.of()));
    }
}
