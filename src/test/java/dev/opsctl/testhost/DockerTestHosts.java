package dev.opsctl.testhost;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension bringing up N test hosts (see {@code src/test/resources/testhosts/testhost.sh}):
 * each a set of namespaces on this machine with its own sshd, dockerd, {@code /etc} and
 * workspace-app, reached at {@code 10.231.0.(10+N)}. Hosts are brought up fresh before the class
 * and removed after it ({@code OPSCTL_TESTHOSTS_KEEP=1} keeps them for inspection).
 *
 * <pre>
 * &#64;RegisterExtension static final DockerTestHosts HOSTS = DockerTestHosts.count(3);
 * </pre>
 *
 * A lease (a lock file per host number in the state dir) makes a second test JVM wanting the
 * same host numbers wait for the first, since host names and addresses are machine-wide.
 *
 * <p>Without root or the needed programs the class is skipped with the reason printed; under
 * {@code CI=true} that is a failure instead, so CI never quietly runs without Docker.
 */
public final class DockerTestHosts implements BeforeAllCallback, AfterAllCallback {

    private static final List<String> REQUIRED = List.of("ip", "nsenter", "unshare", "dockerd", "containerd", "runc",
            "sshd", "ssh", "ssh-keygen", "busybox", "curl", "flock", "/usr/bin/python3");
    private static final Duration UP_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration LEASE_WAIT = Duration.ofMinutes(15);
    private static final String FAULTS = "/etc/opsctl-test";

    private final List<Integer> numbers;
    private TestHostScript script;
    private HostLease lease;
    private final Map<Integer, TestHost> hosts = new LinkedHashMap<>();
    private Duration startupTime = Duration.ZERO;

    private DockerTestHosts(List<Integer> numbers) {
        this.numbers = List.copyOf(numbers);
    }

    /** Hosts 1..count. */
    public static DockerTestHosts count(int count) {
        return new DockerTestHosts(IntStream.rangeClosed(1, count).boxed().toList());
    }

    /** Hosts with these numbers (1..200), for classes that must not share hosts with others. */
    public static DockerTestHosts numbered(int... numbers) {
        return new DockerTestHosts(IntStream.of(numbers).boxed().toList());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        missingPrerequisite().ifPresent(reason -> {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("docker test hosts are required under CI=true: " + reason);
            }
            System.err.println("skipping " + context.getDisplayName() + ": " + reason);
            Assumptions.abort(reason);
        });
        script = new TestHostScript(TestHostScript.scriptsOnClasspath(), stateDir());
        lease = HostLease.acquire(stateDir(), numbers, LEASE_WAIT);
        long start = System.nanoTime();
        // Fresh hosts every time: a previous class may have left userns-remap or faults behind.
        script.testhost(UP_TIMEOUT, withVerb("down")).orFail();
        HostExec up = script.testhost(UP_TIMEOUT, withVerb("up"));
        if (!up.ok()) {
            script.testhost(UP_TIMEOUT, withVerb("down"));
            lease.close();
            throw new IllegalStateException("test hosts " + numbers + " did not come up\n" + up.stderr());
        }
        startupTime = Duration.ofNanos(System.nanoTime() - start);
        for (int n : numbers) {
            hosts.put(n, hostFrom(script.info(n)));
        }
        lb().reset();
        hosts.values().forEach(h -> lb().register(h.name()));
    }

    /**
     * Tears the hosts down and brings them up fresh (new /etc, Docker data, app), re-registered in
     * the load balancer: for test classes whose scenarios each need
     * untouched hosts. About 10 s for three hosts. The load balancer is not reset (other test runs
     * may share it): each host is registered and put back in service.
     */
    public void recreate() {
        script.testhost(UP_TIMEOUT, withVerb("down")).orFail();
        HostExec up = script.testhost(UP_TIMEOUT, withVerb("up"));
        if (!up.ok()) {
            throw new IllegalStateException("test hosts " + numbers + " did not come up again\n" + up.stderr());
        }
        hosts.clear();
        for (int n : numbers) {
            hosts.put(n, hostFrom(script.info(n)));
        }
        // no reset: the stand-in is machine-wide and other test runs may be using it
        hosts.values().forEach(h -> {
            lb().register(h.name());
            if (!lb().status().getOrDefault(h.name(), true)) {
                lb().enable(h.name()).orFail();
            }
        });
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (script == null || lease == null) {
            return;
        }
        try {
            if (!"1".equals(System.getenv("OPSCTL_TESTHOSTS_KEEP"))) {
                script.testhost(UP_TIMEOUT, withVerb("down")).orFail();
            }
        } finally {
            lease.close();
        }
    }

    public TestHost host(int number) {
        TestHost h = hosts.get(number);
        if (h == null) {
            throw new IllegalArgumentException("no test host " + number + " (up: " + hosts.keySet() + ")");
        }
        return h;
    }

    public List<TestHost> hosts() {
        return List.copyOf(hosts.values());
    }

    /** How long bringing the hosts up took (including removing leftovers). */
    public Duration startupTime() {
        return startupTime;
    }

    public LoadBalancerStandIn lb() {
        return new LoadBalancerStandIn(script);
    }

    /**
     * A load balancer of its own, with state in {@code dir} and this class's hosts registered: the
     * shared one ({@link #lb()}) is reset by every test class that brings hosts up, also in other
     * builds on this machine. Give a runbook its {@link LoadBalancerStandIn#commandLine()}.
     */
    public LoadBalancerStandIn privateLb(Path dir) {
        LoadBalancerStandIn lb = new LoadBalancerStandIn(script, Optional.of(dir));
        hosts.values().forEach(h -> lb.register(h.name()));
        return lb;
    }

    /** Runs {@code command} with bash inside the host (all its namespaces), as root, clean env. */
    public HostExec exec(TestHost host, String command) {
        return exec(host, command, EXEC_TIMEOUT);
    }

    public HostExec exec(TestHost host, String command, Duration timeout) {
        HostExec r = script.testhost(timeout, "exec", Integer.toString(host.number()), command);
        return new HostExec(command, r.exitCode(), r.stdout(), r.stderr());
    }

    /** Runs {@code command} on the host through the real {@code ssh} client with the fixture's key and known_hosts. */
    public HostExec ssh(TestHost host, String command) {
        return script.run(sshCommand(host, command), EXEC_TIMEOUT);
    }

    public List<String> sshCommand(TestHost host, String command) {
        return List.of("ssh", "-F", "/dev/null", "-i", host.key().toString(), "-p", Integer.toString(host.sshPort()),
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + host.knownHosts(), "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR", host.sshDestination(), command);
    }

    /**
     * Kills the host's sshd processes that serve its open connections (every sshd below the listener),
     * not the listener and not what they run, as a crashed or OOM-killed sshd child does: each connection
     * breaks, and a new one can be made at once.
     */
    public void killSshConnections(TestHost host) {
        exec(host, "below() { for c in $(cat /proc/$1/task/*/children 2>/dev/null); do echo $c; below $c; done; };"
                + " for p in $(below $(cat /run/sshd.pid)); do case $(cat /proc/$p/comm 2>/dev/null) in sshd*) kill -KILL $p;; esac;"
                + " done; true").orFail();
    }

    /** From now on {@code systemctl start|restart docker} fails on this host, as if dockerd would not come up. */
    public void failDockerStart(TestHost host) {
        exec(host, "mkdir -p " + FAULTS + " && touch " + FAULTS + "/fail-docker-start").orFail();
    }

    /** From now on the host's {@code /health} answers 500. */
    public void failHealth(TestHost host) {
        exec(host, "mkdir -p " + FAULTS + " && touch " + FAULTS + "/fail-health").orFail();
    }

    /** As {@link #failDockerStart}, but only while daemon.json enables userns-remap: a rollback cures it. */
    public void failDockerStartWithUsernsRemap(TestHost host) {
        exec(host, "mkdir -p " + FAULTS + " && echo userns-remap > " + FAULTS + "/fail-docker-start").orFail();
    }

    /** As {@link #failHealth}, but only while dockerd runs with userns-remap: a rollback cures it. */
    public void failHealthWithUsernsRemap(TestHost host) {
        exec(host, "mkdir -p " + FAULTS + " && echo userns-remap > " + FAULTS + "/fail-health").orFail();
    }

    public void clearFaults(TestHost host) {
        exec(host, "rm -f " + FAULTS + "/fail-docker-start " + FAULTS + "/fail-health").orFail();
    }

    TestHostScript script() {
        return script;
    }

    private String[] withVerb(String verb) {
        List<String> args = new ArrayList<>(List.of(verb));
        numbers.forEach(n -> args.add(Integer.toString(n)));
        return args.toArray(String[]::new);
    }

    private static TestHost hostFrom(Map<String, String> info) {
        String name = info.get("name");
        return new TestHost(Integer.parseInt(name.substring("opsctl-h".length())), name, info.get("address"),
                Integer.parseInt(info.get("ssh_port")), "root", Path.of(info.get("key")),
                Path.of(info.get("known_hosts")), Path.of(info.get("ssh_config")), URI.create(info.get("app_url")),
                Path.of(info.get("state")));
    }

    static Path stateDir() {
        return Path.of(System.getenv().getOrDefault("OPSCTL_TESTHOSTS_STATE", "/var/tmp/opsctl-testhosts"));
    }

    static Optional<String> missingPrerequisite() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (!Integer.valueOf(0).equals(uid)) {
                return Optional.of("test hosts need root (namespaces, mounts, veth), running as uid " + uid);
            }
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("test hosts need Linux with /proc (" + e.getMessage() + ")");
        }
        List<String> missing = REQUIRED.stream().filter(c -> !TestHostScript.onPath(c)).toList();
        if (!missing.isEmpty()) {
            return Optional.of("missing " + String.join(", ", missing)
                    + " (apt-get install docker.io openssh-server busybox-static iproute2 curl python3)");
        }
        return Optional.empty();
    }
}
