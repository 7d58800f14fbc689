package dev.opsctl.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsctl.Main;
import dev.opsctl.cli.CliEnv;
import dev.opsctl.testhost.DockerTestHosts;
import dev.opsctl.testhost.LoadBalancerStandIn;
import dev.opsctl.testhost.TestHost;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * opsctl as an operator runs it against the test hosts: {@code rollout userns-remap} with an
 * inventory, the -e values that describe the hosts, an answers file for the gates, the fixture's
 * SSH key and known_hosts, {@code -o json} and a private state directory. In this JVM through
 * {@link Main#run(CliEnv, String...)}, or as its own process (the packaged jar) when it must be killed.
 */
final class RolloutCli {
    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(5);

    private final Path stateDir;
    private final Path answers;
    private final List<String> runOptions;
    private final List<String> sshOptions;

    private RolloutCli(Path stateDir, Path answers, List<String> runOptions, List<String> sshOptions) {
        this.stateDir = stateDir;
        this.answers = answers;
        this.runOptions = List.copyOf(runOptions);
        this.sshOptions = List.copyOf(sshOptions);
    }

    /** The result of a run killed with SIGKILL: its id and what it printed before. */
    record Killed(String runId, RolloutRun run) {}

    static RolloutCli forHosts(Path dir, DockerTestHosts hosts, LoadBalancerStandIn lb, String monitoringUrl) throws IOException {
        StringBuilder inv = new StringBuilder("apiVersion: opsctl/v1\nkind: Inventory\nhosts:\n");
        for (TestHost h : hosts.hosts()) {
            inv.append("  ").append(h.name()).append(": {address: ").append(h.address()).append(", port: ").append(h.sshPort())
                    .append(", user: ").append(h.user()).append("}\n");
        }
        inv.append("groups:\n  docker_hosts:\n    hosts: [")
                .append(String.join(", ", hosts.hosts().stream().map(TestHost::name).toList())).append("]\n");
        Path inventory = Files.writeString(dir.resolve("docker-hosts.yaml"), inv.toString());
        Path answers = Files.writeString(dir.resolve("answers.yaml"), """
                # the manual items of the userns-remap gates, as the operators answered them
                answers:
                  verification-complete: {status: confirmed, note: "05-userns-remap-verification.md done on the test hosts"}
                  rollback-reviewed: confirmed
                  stakeholders-notified: {status: confirmed, note: "test run, nobody to notify"}
                  window-approved: {status: confirmed, note: "test hosts, no window needed"}
                  progress-tracker-updated: {status: confirmed, note: "not recorded: test run"}
                  security-verification-updated: confirmed
                  ops-team-notified: {status: confirmed, note: "test run"}
                """);
        TestHost any = hosts.hosts().get(0);
        String lbCtl = lb.commandLine();
        Path stateDir = dir.resolve("state");
        List<String> ssh = List.of("--ssh-config", any.sshConfig().toString(), "--known-hosts", any.knownHosts().toString(),
                "--identity", any.key().toString(), "--no-agent");
        List<String> run = new ArrayList<>(List.of("-i", inventory.toString(), "-o", "json", "--yes", "--ignore-window",
                "--state-dir", stateDir.toString(), "--answers", answers.toString(),
                "-e", "lb_drain_cmd=" + lbCtl + " drain", "-e", "lb_enable_cmd=" + lbCtl + " enable",
                "-e", "session_drain_wait=1s", "-e", "monitor_duration=3s", "-e", "poll_interval=1s",
                "-e", "base_image_tar=/opt/opsctl-test/workspace-base.tar", "-e", "prometheus_url=" + monitoringUrl, "-e", "dashboard_url=" + monitoringUrl + "/api/health"));
        run.addAll(ssh);
        return new RolloutCli(stateDir, answers, run, ssh);
    }

    Path stateDir() {
        return stateDir;
    }

    RolloutRun rollout() {
        List<String> args = new ArrayList<>(List.of("rollout", "userns-remap"));
        args.addAll(runOptions);
        return inProcess(args);
    }

    RolloutRun resume(String runId) {
        List<String> args = new ArrayList<>(List.of("runs", "resume", runId, "--state-dir", stateDir.toString(), "-o", "json",
                "--ignore-window", "--answers", answers.toString()));
        args.addAll(sshOptions);
        return inProcess(args);
    }

    /** Runs the rollout as a process and SIGKILLs it as soon as {@code step} started on {@code host}. */
    Killed rolloutKilledAt(String host, String step) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher());
        command.addAll(List.of("rollout", "userns-remap"));
        command.addAll(runOptions);
        ProcessBuilder pb = new ProcessBuilder(command).directory(PROJECT.toFile());
        pb.environment().put("NO_COLOR", "1");
        long t0 = System.nanoTime();
        Process p = pb.start();
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        CompletableFuture<String> console = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                JsonNode e = RolloutRun.event(line);
                events.add(e);
                if (e.path("type").asText().equals("step-started") && e.path("host").asText().equals(host)
                        && e.path("step").asText().equals(step)) {
                    p.destroyForcibly(); // SIGKILL: no shutdown hook, no last journal line
                    break;
                }
            }
        }
        if (!p.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("opsctl did not end within " + PROCESS_TIMEOUT.toMinutes() + " min");
        }
        RolloutRun run = new RolloutRun(p.exitValue(), events, console.join(), Duration.ofNanos(System.nanoTime() - t0));
        return new Killed(run.runId(), run);
    }

    /** The packaged jar (failsafe runs after package); the launcher, which builds it, when there is none. */
    private static List<String> launcher() {
        Path jar = Path.of(System.getProperty("opsctl.jar", PROJECT.resolve("target/opsctl.jar").toString()));
        if (Files.isRegularFile(jar)) {
            return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString());
        }
        return List.of(PROJECT.resolve("cli/opsctl").toString());
    }

    private static RolloutRun inProcess(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            Map<String, String> env = Map.of("USER", "root", "HOME", System.getProperty("user.home"), "NO_COLOR", "1", "TERM", "dumb",
                    "PATH", System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
            code = Main.run(new CliEnv(o, e, env, PROJECT, false), args.toArray(String[]::new));
        }
        return new RolloutRun(code, RolloutRun.parse(out.toString(StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8),
                Duration.ofNanos(System.nanoTime() - t0));
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
