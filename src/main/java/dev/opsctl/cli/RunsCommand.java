package dev.opsctl.cli;

import dev.opsctl.app.OpsctlException;
import dev.opsctl.app.ResumeRequest;
import dev.opsctl.app.RunSummary;
import dev.opsctl.app.Services;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.journal.RunState;
import dev.opsctl.report.JsonEvents;
import dev.opsctl.source.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        description = "Past and current runs, read from their journals: list, show, resume, roll back, approve, report.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.ShowRun.class, RunsCommand.ResumeRun.class,
            RunsCommand.RollbackRun.class, RunsCommand.ApproveRun.class, RunsReportCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  opsctl runs list --since 24h",
            "  opsctl runs show 20261122-0201-userns-remap --step restart-docker",
            "  opsctl runs resume 20261122-0201-userns-remap --yes",
            "  opsctl runs rollback 20261122-0201-userns-remap --host docker2",
            "  opsctl runs approve 20261122-0201-userns-remap --operator bob",
            "  opsctl runs report 20261122-0201-userns-remap --format html -o report.html",
        })
final class RunsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: list, show, resume, rollback, approve or report");
    }

    static Services services(CliEnv env, StateDirOption stateDir) {
        return CliServices.build(env, stateDir.get(), Optional.empty());
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List runs, newest first: id, runbook, status, hosts, when.",
            footerHeading = "%nExamples:%n",
            footer = {"  opsctl runs list", "  opsctl runs list --since 2h -o json"})
    static final class ListRuns implements Callable<Integer> {
        private final CliEnv env;

        ListRuns(CliEnv env) {
            this.env = env;
        }

        @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Only runs started within this long (e.g. 24h, 90m).")
        Duration since;

        @Mixin
        StateDirOption stateDir;

        @Mixin
        OutputMixin output;

        @Override
        public Integer call() {
            try {
                List<RunSummary> runs = services(env, stateDir).history().list();
                if (since != null) {
                    Instant after = Instant.now().minus(since);
                    runs = runs.stream().filter(r -> r.started().isAfter(after)).toList();
                }
                if (output.json()) {
                    runs.forEach(r -> env.out().println(JsonEvents.toJson(RunsView.json(r))));
                } else if (runs.isEmpty()) {
                    env.err().println("no runs" + (since == null ? "" : " in the last " + Durations.format(since)));
                } else {
                    RunsView.list(runs, ZoneId.systemDefault()).forEach(env.out()::println);
                }
                return ExitCodes.OK;
            } catch (OpsctlException e) {
                Failures.print(env, e);
                return e.exitCode();
            }
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show one run: hosts, steps and outcomes; with --step, that step's full output on every host.",
            footerHeading = "%nExamples:%n",
            footer = {"  opsctl runs show 20261122-0201-userns-remap", "  opsctl runs show 20261122-0201-userns-remap --step restart-docker"})
    static final class ShowRun implements Callable<Integer> {
        private final CliEnv env;

        ShowRun(CliEnv env) {
            this.env = env;
        }

        @Parameters(index = "0", paramLabel = "ID", description = "The run id, as printed when it started and by 'runs list'.")
        String id;

        @Option(names = "--step", paramLabel = "STEP", description = "Show this step's full output.")
        String step;

        @Mixin
        StateDirOption stateDir;

        @Mixin
        OutputMixin output;

        @Override
        public Integer call() {
            try {
                RunState state = services(env, stateDir).history().show(id);
                if (step != null) {
                    List<String> lines = RunsView.step(state, step);
                    if (lines.isEmpty()) {
                        throw new UsageException("no host of run '" + id + "' ran a step '" + step + "'");
                    }
                    lines.forEach(env.out()::println);
                } else if (output.json()) {
                    env.out().println(JsonEvents.toJson(RunsView.showJson(state)));
                } else {
                    RunsView.show(state, ZoneId.systemDefault()).forEach(env.out()::println);
                }
                return ExitCodes.OK;
            } catch (OpsctlException e) {
                Failures.print(env, e);
                return e.exitCode();
            }
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = {
                "Continue a halted or interrupted run at the first step not journaled as done.",
                "A step seen started but not finished is re-run only if it is idempotent; otherwise you are asked.",
            },
            footerHeading = "%nExamples:%n",
            footer = {"  opsctl runs resume 20261122-0201-userns-remap", "  opsctl runs resume 20261122-0201-userns-remap -e token=$TOKEN -o json"})
    static final class ResumeRun implements Callable<Integer> {
        private final CliEnv env;

        ResumeRun(CliEnv env) {
            this.env = env;
        }

        @Mixin
        PastRunMixin run;

        @Option(names = "--rerun-interrupted",
                description = "Rerun a step that was interrupted although it is not idempotent (check the host first).")
        boolean rerunInterrupted;

        @Option(names = "--ignore-window", description = "Start hosts even outside the runbook's maintenance window.")
        boolean ignoreWindow;

        @Option(names = "--confirm", paramLabel = "ID[@HOST]", description = "Confirm a manual gate item (repeatable).")
        List<String> confirm = new ArrayList<>();

        @Option(names = "--answers", paramLabel = "FILE", description = "Gate answers file for non-interactive runs.")
        java.nio.file.Path answers;

        @Option(names = "--notify", paramLabel = "URL",
                description = "Post the resumed run's events to this webhook, as 'run --notify' does; repeatable. The original run's "
                        + "--notify URLs are not journaled (they are credentials): give them again. The runbook's notify: block applies by itself.")
        List<String> notify = new ArrayList<>();

        @Mixin
        SshOptionsMixin ssh;

        @Override
        public Integer call() {
            Services services = run.services(env, ssh.flags(env));
            try {
                ResumeRequest req = new ResumeRequest(run.id, run.extraVars(), run.force, rerunInterrupted, ignoreWindow,
                        run.sudoPassword(env, () -> services.history().resumeHasWork(run.id, run.force)))
                        .withAnswers(new dev.opsctl.app.GateAnswers(confirm,
                                Optional.ofNullable(answers).map(a -> env.resolve(a.toString()))))
                        .withNotify(notify);
                try (RunOutput sink = RunOutput.open(env, run.output)) {
                    return Interrupts.around(env, stop -> services.history().resume(req, sink, stop));
                }
            } catch (OpsctlException e) {
                Failures.print(env, e);
                return e.exitCode();
            }
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = {
                "Run the runbook's rollback steps for hosts of a finished or halted run, with each host's journaled results.",
                "Without --host: every host that started and was not rolled back yet, latest first. Exit 3 when the",
                "rollback succeeded, 4 when it failed, 0 when there was nothing to roll back. A rollback step that was",
                "cut short (killed, timed out, its connection lost) is run again only if it is idempotent; otherwise you are asked.",
            },
            footerHeading = "%nExamples:%n",
            footer = {"  opsctl runs rollback 20261122-0201-userns-remap --host docker2",
                "  opsctl runs rollback 20261122-0201-userns-remap -e token=$TOKEN -o json"})
    static final class RollbackRun implements Callable<Integer> {
        private final CliEnv env;

        RollbackRun(CliEnv env) {
            this.env = env;
        }

        @Mixin
        PastRunMixin run;

        @Option(names = "--host", paramLabel = "HOST", description = "Roll back only this host (repeatable).")
        List<String> hosts = new ArrayList<>();

        @Option(names = "--rerun-interrupted",
                description = "Run a rollback again whose last run was cut short in a step that is not idempotent (check the host first).")
        boolean rerunInterrupted;

        @Mixin
        SshOptionsMixin ssh;

        @Override
        public Integer call() {
            Services services = run.services(env, ssh.flags(env));
            try {
                var password = run.sudoPassword(env, () -> services.history().rollbackHasWork(run.id, hosts, run.force));
                dev.opsctl.app.RollbackRequest req = dev.opsctl.app.RollbackRequest.of(run.id).withHosts(hosts).withForce(run.force)
                        .withExtraVars(run.extraVars()).withSudoPassword(password).withRerunInterrupted(rerunInterrupted);
                try (RunOutput sink = RunOutput.open(env, run.output)) {
                    return Interrupts.around(env, stop -> services.history().rollback(req, sink, stop));
                }
            } catch (OpsctlException e) {
                Failures.print(env, e);
                return e.exitCode();
            }
        }
    }

    @Command(
            name = "approve",
            mixinStandardHelpOptions = true,
            description = {
                "Sign off a run as a second operator (four eyes): a gate with 'approvals: 2' passes once two different",
                "operators approved. Then 'opsctl runs resume ID' continues the run.",
            },
            footerHeading = "%nExamples:%n",
            footer = {"  opsctl runs approve 20261122-0201-userns-remap --operator bob --note 'plan and window checked'"})
    static final class ApproveRun implements Callable<Integer> {
        private final CliEnv env;

        ApproveRun(CliEnv env) {
            this.env = env;
        }

        @Parameters(index = "0", paramLabel = "ID", description = "The run id.")
        String id;

        @Option(names = "--operator", paramLabel = "NAME", description = "Who approves (default: $USER).")
        String operator;

        @Option(names = "--note", paramLabel = "TEXT", description = "Why, for the journal and the report.")
        String note = "";

        @Mixin
        StateDirOption stateDir;

        @Override
        public Integer call() {
            try {
                Services services = CliServices.build(env, stateDir.get(), Optional.ofNullable(operator));
                java.util.Set<String> who = services.history().approve(id, note);
                env.out().println("run " + id + " approved by " + String.join(", ", who) + " (" + who.size()
                        + (who.size() == 1 ? " operator)" : " operators)"));
                env.out().println("next: 'opsctl runs resume " + id + "' continues past the gate");
                return ExitCodes.OK;
            } catch (OpsctlException e) {
                Failures.print(env, e);
                return e.exitCode();
            }
        }
    }
}
