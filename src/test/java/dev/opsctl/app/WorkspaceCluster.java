package dev.opsctl.app;

import com.sun.net.httpserver.HttpServer;
import dev.opsctl.action.StepResult;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.execute.HookVerdict;
import dev.opsctl.engine.execute.HostHooks;
import dev.opsctl.engine.execute.HostRun;
import dev.opsctl.engine.execute.Sleeper;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.target.kube.KubeClusters;
import dev.opsctl.target.kube.KubeConnections;
import dev.opsctl.target.kube.MockCluster;
import dev.opsctl.target.ssh.SshConfig;
import dev.opsctl.target.ssh.SshOptions;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What userns-remap with {@code --backend kubernetes} meets, for the app-layer tests: namespace prod on fabric8's mock
 * with two workspace pods (app=workspace: ws-1 finishes when the application drains, ws-2 does not) and the
 * application's own pod (app=api), stand-ins of the application on a host address, and the app layer's services wired
 * to that cluster with the shipped checklists.
 */
final class WorkspaceCluster implements AutoCloseable {
    final MockCluster k = new MockCluster();

    WorkspaceCluster() {
        for (String[] p : List.of(new String[] {"ws-1", "workspace"}, new String[] {"ws-2", "workspace"}, new String[] {"api-1", "api"})) {
            k.fabric8.pods().inNamespace("prod").resource(MockCluster.pod(p[0], p[1])).create();
        }
    }

    /** api-1 becomes Ready, as the gates want the application's pods. */
    void applicationReady() {
        k.fabric8.pods().inNamespace("prod").withName("api-1").editStatus(p -> {
            p.getStatus().getConditions().add(new PodConditionBuilder().withType("Ready").withStatus("True").build());
            return p;
        });
    }

    /** The RuntimeClass gvisor (handler runsc) exists. */
    void gvisorInstalled() {
        k.fabric8.resource(new RuntimeClassBuilder().withNewMetadata().withName("gvisor").endMetadata().withHandler("runsc").build()).create();
    }

    /**
     * The application on one host: {@code /api/admin/drain} lets ws-1 finish, {@code /health} answers 200 with a warm
     * pool (500 while {@code broken}), {@code /api/test/workspace-verify} and the dashboard's {@code /api/health} 200.
     */
    HttpServer application(String address, int port, BooleanSupplier broken) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(address, port), 0);
        s.createContext("/api/admin/drain", x -> {
            k.fabric8.pods().inNamespace("prod").withName("ws-1").editStatus(p -> {
                p.getStatus().setPhase("Succeeded");
                return p;
            });
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        s.createContext("/health", x -> {
            boolean down = broken.getAsBoolean();
            byte[] body = (down ? "{\"status\": \"error\"}" : "{\"status\": \"ok\", \"warm_pool_size\": 3}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(down ? 500 : 200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        for (String ok : List.of("/api/test/workspace-verify", "/api/health")) {
            s.createContext(ok, x -> {
                x.sendResponseHeaders(200, -1);
                x.close();
            });
        }
        s.start();
        return s;
    }

    /**
     * The hosts are this machine, and as root the runbook's Docker-daemon steps would change its /etc and restart its
     * Docker. Should a run ever lose its kubernetes backend, the first of them (record-containers, read-only) stops the
     * rollout before the next one changes anything.
     */
    static final HostHooks NO_DOCKER_DAEMON_STEPS = new HostHooks() {
        @Override
        public HookVerdict afterStep(HostRun host, Step step, StepResult result) {
            boolean daemonOnly = step.when().filter(w -> w.contains("run.backend == \"docker\"")).isPresent();
            return daemonOnly && result.outcome() != StepResult.Outcome.SKIPPED
                    ? HookVerdict.stop("failed", ExitCodes.INTERNAL, true, "test guard: Docker-daemon step '" + step.id() + "' ran on this machine")
                    : HookVerdict.CONTINUE;
        }
    };

    /**
     * The app layer over local hosts and this cluster, running {@code rb} whatever file is asked for, as 'oncall'. The
     * hosts have a journal: a {@code journalctl} stand-in in {@code tmp/host-bin} shows every unit started and no error.
     */
    Services services(Path tmp, Runbook rb, Clock clock, Sleeper sleeper) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("host-bin"));
        Path journalctl = Files.writeString(bin.resolve("journalctl"), """
                #!/bin/sh
                # the units' journal: each unit started once, nothing logged at priority err
                case " $* " in *" -p "*) exit 0 ;; esac
                echo "Nov 22 03:00:00 host systemd[1]: Started the unit."
                """);
        Files.setPosixFilePermissions(journalctl, PosixFilePermissions.fromString("rwx------"));
        Env env = Env.from(Map.of("USER", "oncall", "HOME", tmp.toString(), "PATH", System.getenv("PATH")), Optional.of(tmp.resolve("state")),
                Optional.empty(), false, clock);
        return new Services(env, p -> rb, Services::loadInventory, new ToolsFirstOnPath(new HostTargets(SshConfig.empty(), SshOptions.defaults()), bin),
                NO_DOCKER_DAEMON_STEPS, sleeper, Prompter.NON_INTERACTIVE, new SecureRandom(),
                new GateSetup(new ChecklistPath(List.of(Path.of("checklists").toAbsolutePath())), ClusterRun.registry(k), ChecklistPrompter.NONE),
                new KubeClusters(KubeConnections.of(k.target)), ClusterLease.DURATION);
    }

    /** A run of {@code rb} with {@code --backend kubernetes}, outside the maintenance window. */
    static RunRequest kubernetesRun(Runbook rb, Path inventory, GateAnswers answers, List<String> vars) {
        return RunRequest.of(rb.file()).withInventory(inventory).withIgnoreWindow(true).withAnswers(answers).withExtraVars(vars)
                .withCluster(new ClusterOptions(ClusterOptions.Backend.KUBERNETES, Optional.empty(), Optional.empty()));
    }

    @Override
    public void close() {
        k.close();
    }
}
