package dev.opsctl.app;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.action.ActionType;
import dev.opsctl.action.kube.KubeActionType;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.checklist.run.ChecklistResult;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.runbook.load.Checklists;
import dev.opsctl.target.kube.KubeConnections;
import dev.opsctl.target.kube.MockCluster;
import dev.opsctl.target.ssh.SshConfig;
import dev.opsctl.target.ssh.SshOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs a shipped cluster runbook ({@code runbooks/k8s/}) or checklist in-process through the standard
 * wiring (loader, engine, journal, checklist runner), non-interactively, with every {@code kube} step and
 * probe reaching fabric8's mock server instead of the kubeconfig's cluster.
 */
final class ClusterRun {
    static final Path DIR = ShippedRunbooksTest.DIR.resolve("k8s");

    /** What a run left behind: exit code and every event. */
    record Result(int code, RecordingSink events) {
        /** Every notice, as 'level|message'. */
        List<String> notices() {
            return events.of(RunEvent.Notice.class).stream().map(n -> n.level() + "|" + n.message()).toList();
        }

        boolean said(String start) {
            return notices().stream().anyMatch(n -> n.contains("|" + start));
        }

        RunEvent.StepFinished step(String id) {
            List<RunEvent.StepFinished> f = events.of(RunEvent.StepFinished.class).stream().filter(e -> e.step().equals(id)).toList();
            if (f.isEmpty()) {
                throw new AssertionError("step '" + id + "' did not finish; events:\n" + describe());
            }
            return f.get(f.size() - 1);
        }

        boolean ran(String id) {
            return events.of(RunEvent.StepFinished.class).stream().anyMatch(e -> e.step().equals(id) && !e.outcome().equals("skipped"));
        }

        String describe() {
            return events.all().stream().map(Object::toString).collect(Collectors.joining("\n"));
        }
    }

    private ClusterRun() {}

    /** The standard step types, with {@code kube} on the mock cluster. */
    static ActionRegistry registry(MockCluster k) {
        List<ActionType<?>> types = new ArrayList<>();
        for (ActionType<?> t : ActionRegistry.standard().all()) {
            types.add(t.name().equals("kube") ? new KubeActionType(KubeConnections.of(k.target)) : t);
        }
        return new ActionRegistry(types);
    }

    /** {@code runbook}: relative to runbooks/k8s, without .yaml. {@code confirms}: the '--confirm' values. */
    static Result run(Path stateDir, MockCluster k, String runbook, List<String> params, List<String> confirms) throws Exception {
        Env env = Env.from(Map.of("USER", "oncall", "HOME", stateDir.toString()), Optional.of(stateDir), Optional.empty(), false,
                Clock.systemDefaultZone());
        RecordingSink events = new RecordingSink();
        RunRequest request = RunRequest.of(DIR.resolve(runbook + ".yaml")).withExtraVars(params)
                .withAnswers(new GateAnswers(confirms, Optional.empty()));
        // the cluster lock on the same mock server as the steps
        Services services = new Services(env, new LoaderRunbooks(registry(k), Checklists.ANY), Services::loadInventory,
                new HostTargets(SshConfig.empty(), SshOptions.defaults()), dev.opsctl.engine.execute.HostHooks.NONE,
                dev.opsctl.engine.execute.Sleeper.REAL, Prompter.NON_INTERACTIVE, new java.security.SecureRandom(),
                GateSetup.besideRunbooks(), new dev.opsctl.target.kube.KubeClusters(KubeConnections.of(k.target)),
                ClusterLease.DURATION);
        int code = services.runs().run(request, events);
        return new Result(code, events);
    }

    /** Runs a shipped checklist ({@code checklists/NAME.yaml}) with its probes on the mock cluster. */
    static ChecklistResult checklist(MockCluster k, String name, Map<String, String> params) throws Exception {
        ChecklistService service = ChecklistService.local(ChecklistPath.standard(Path.of("."), Optional.empty(), Optional.empty()),
                registry(k));
        return service.run(new ChecklistRequest(name, Optional.empty(), Optional.empty(), params, List.of(), Optional.empty(), "oncall",
                Map.of()), ChecklistPrompter.NONE);
    }
}
