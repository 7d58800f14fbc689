package dev.opsctl.cli;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.app.ChecklistPath;
import dev.opsctl.app.Env;
import dev.opsctl.app.GateSetup;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.shell.JLineChecklistPrompter;
import dev.opsctl.app.HostTargets;
import dev.opsctl.app.InventoryService;
import dev.opsctl.app.InventorySource;
import dev.opsctl.app.OpsctlException;
import dev.opsctl.app.Prompter;
import dev.opsctl.app.RunbookSource;
import dev.opsctl.app.Services;
import dev.opsctl.app.SshFlags;
import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.inventory.Host;
import dev.opsctl.runbook.load.LoadResult;
import dev.opsctl.source.Problems;
import dev.opsctl.target.Target;
import dev.opsctl.target.local.LocalTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The use cases as the command line runs them: runbooks through the loader (paths shown as typed,
 * checklists found beside them), inventories through the inventory loader, local hosts through the
 * local target and the rest over SSH with the operator's ~/.ssh/config and keys.
 */
final class CliServices {
    private CliServices() {}

    static Env appEnv(CliEnv env, Optional<Path> stateDir, Optional<String> operator) {
        return Env.from(env.env(), stateDir.map(p -> env.resolve(p.toString())), operator, env.terminal(), Clock.systemDefaultZone());
    }

    static Services build(CliEnv env, Optional<Path> stateDir, Optional<String> operator) {
        return build(env, stateDir, operator, SshFlags.DEFAULT);
    }

    static Services build(CliEnv env, Optional<Path> stateDir, Optional<String> operator, SshFlags ssh) {
        return Services.of(appEnv(env, stateDir, operator), runbooks(env), inventories(env), targets(env, ssh), prompter(env), gates(env));
    }

    /** Gate checklists beside the runbook, then the standard path; manual items asked on a terminal. */
    static GateSetup gates(CliEnv env) {
        ChecklistPath path = ChecklistPath.standard(env.workingDir(), env.var("OPSCTL_HOME"), RunbookPath.shipped().map(Path::getParent));
        ChecklistPrompter interactive = env.checklistPrompter().orElse(ChecklistPrompter.NONE);
        // inside the shell its prompter is the one terminal reader there may be (JLine allows one system terminal)
        if (env.checklistPrompter().isEmpty() && env.terminal() && System.console() != null) {
            try {
                interactive = JLineChecklistPrompter.system();
            } catch (IOException e) {
                env.err().println("warning: no interactive terminal for gate questions (" + e.getMessage() + "): manual items fail closed");
            }
        }
        return GateSetup.standard(path, interactive, env.env());
    }

    static RunbookSource runbooks(CliEnv env) {
        RunbookReader reader = new RunbookReader(env, ActionRegistry.standard(env.env()));
        return file -> {
            Path abs = env.resolve(file.toString());
            LoadResult r = reader.load(abs, display(env, abs));
            if (r.runbook().isEmpty()) {
                throw OpsctlException.usage(r.problems().render().stripTrailing());
            }
            if (!r.problems().isEmpty()) {
                env.err().print(r.problems().render());
            }
            return r.runbook().get();
        };
    }

    static InventorySource inventories(CliEnv env) {
        InventoryService service = new InventoryService();
        return file -> {
            Problems problems = new Problems();
            return service.load(env.resolve(file.toString()), problems)
                    .orElseThrow(() -> OpsctlException.usage(problems.render().stripTrailing()));
        };
    }

    static TargetProvider targets(CliEnv env, SshFlags ssh) {
        HostTargets hosts;
        try {
            hosts = HostTargets.standard(ssh, w -> env.err().println("warning: " + w));
        } catch (OpsctlException e) {
            throw new UsageException(e.getMessage());
        }
        return new TargetProvider() {
            @Override
            public Target open(Host host) {
                return hosts.open(host);
            }

            @Override
            public Target controller(Host forHost) {
                return new LocalTarget("localhost");
            }
        };
    }

    /** Yes/no questions on the terminal; with no terminal every question is answered no (fail closed). */
    static Prompter prompter(CliEnv env) {
        if (!env.terminal() || System.console() == null) {
            return Prompter.NON_INTERACTIVE;
        }
        return question -> {
            String answer = System.console().readLine("%s [y/N] ", question);
            return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
        };
    }

    static String display(CliEnv env, Path abs) {
        return abs.startsWith(env.workingDir()) ? env.workingDir().relativize(abs).toString() : abs.toString();
    }
}
