package dev.opsctl.cli;

import dev.opsctl.app.OpsctlException;
import dev.opsctl.app.GateAnswers;
import dev.opsctl.app.RunRequest;
import dev.opsctl.app.Services;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.plan.Plan;
import dev.opsctl.report.JsonEvents;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns the options of run, rollout and plan into a request for the app services and renders the result. */
final class RunLaunch {
    private final CliEnv env;
    private final RunOptionsMixin options;
    private final OutputMixin output;

    RunLaunch(CliEnv env, RunOptionsMixin options, OutputMixin output) {
        this.env = env;
        this.options = options;
        this.output = output;
    }

    int run(Path runbook, boolean planOnly) {
        if (!Files.isRegularFile(runbook)) {
            throw new UsageException("no runbook file '" + CliServices.display(env, runbook) + "'",
                    "give a path to a .yaml file, or use 'opsctl rollout NAME'");
        }
        RunRequest planned = request(runbook);
        Services services = CliServices.build(env, options.stateDir(), options.operator(), options.ssh.flags(env));
        try {
            if (planOnly) {
                return plan(services, planned);
            }
            if (!options.dryRun && !options.yes && !confirmed(services, planned)) {
                return ExitCodes.USAGE;
            }
            // asked for after the confirmation: a run not started needs no password
            RunRequest request = options.dryRun ? planned : planned.withSudoPassword(options.sudo.password(env));
            if (options.dryRun) {
                showPlan(services, request);
            }
            try (RunOutput sink = RunOutput.open(env, output)) {
                return Interrupts.around(env, stop -> services.runs().run(request, sink, stop));
            }
        } catch (OpsctlException e) {
            Failures.print(env, e);
            return e.exitCode();
        }
    }

    private RunRequest request(Path runbook) {
        RunRequest r = RunRequest.of(runbook)
                .withLimit(options.limit)
                .withExtraVars(options.params.stream().map(kv -> kv.key() + "=" + kv.value()).toList())
                .withForks(options.forks)
                .withDryRun(options.dryRun)
                .withIgnoreWindow(options.ignoreWindow)
                .withDryRunTriggers(options.dryRunTriggers)
                .withNotify(options.notify)
                .withAnswers(new GateAnswers(options.confirm, options.answers().map(a -> env.resolve(a.toString()))))
                .withCluster(options.cluster(env.env()));
        return options.inventory().map(i -> r.withInventory(env.resolve(i.toString()))).orElse(r);
    }

    private int plan(Services services, RunRequest request) throws OpsctlException {
        Plan plan = services.plans().plan(request);
        if (output.json()) {
            env.out().println(JsonEvents.toJson(PlanView.json(plan)));
        } else {
            PlanView.lines(plan).forEach(env.out()::println);
        }
        env.out().flush();
        return ExitCodes.OK;
    }

    /** A dry run starts with the plan: the steps, the triggers and the estimate (on stderr when stdout carries JSON). */
    private void showPlan(Services services, RunRequest request) throws OpsctlException {
        var to = output.json() ? env.err() : env.out();
        PlanView.lines(services.plans().plan(request)).forEach(to::println);
        to.println();
        to.flush();
    }

    /** Shows the plan and asks on a terminal; with no terminal nobody can answer, so --yes is required. */
    private boolean confirmed(Services services, RunRequest request) throws OpsctlException {
        if (!env.terminal() || System.console() == null) {
            env.err().println("error: refusing to start a run nobody confirmed: there is no terminal to ask on");
            env.err().println("  hint: add --yes to start it, or --dry-run to see what it would do");
            return false;
        }
        PlanView.lines(services.plans().plan(request)).forEach(env.err()::println);
        String answer = System.console().readLine("%nstart this run? [y/N] ");
        boolean yes = answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
        if (!yes) {
            env.err().println("not started: the run was not confirmed (nothing was changed)");
        }
        return yes;
    }
}
