package dev.opsctl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.source.Problems;
import dev.opsctl.source.YamlTree;
import dev.opsctl.target.ssh.SshTargets;
import java.util.List;

/**
 * Builds, on a second core, what a run or an exec needs soon and the main thread would otherwise
 * build itself after reading the command line, the runbook and the inventory: Jackson's class
 * initialisation (date formats and calendars, ~35 ms cold; for a run, or an exec with JSON output),
 * the YAML reader's (for a run) and sshj's algorithm lists (~0.1 s).
 * Nothing here is observable: the main thread builds the same objects when it needs them, waiting
 * for a class initialisation or a lock this thread holds rather than doing it twice, and whatever
 * fails here fails again there with its real message.
 */
final class Preload {
    private Preload() {}

    /** Starts the work in a daemon thread when the command is one that connects to hosts here, not in a keeper. */
    static void startFor(CliEnv env, String... args) {
        if (args.length == 0 || !(args[0].equals("run") || args[0].equals("exec")) || ExecKeeper.mayForward(env, args)) {
            return;
        }
        // a run journals through Jackson databind; an exec needs it only for -o json
        boolean run = args[0].equals("run");
        boolean json = run || List.of(args).contains("json");
        Thread t = new Thread(() -> build(run, json), "opsctl-preload");
        t.setDaemon(true);
        t.start();
    }

    private static void build(boolean run, boolean json) {
        try {
            if (json) {
                new ObjectMapper();
            }
            if (run) {
                // the YAML reader's classes and first parse, while the main thread builds the command line
                YamlTree.parse("(preload)", "steps:\n  - {id: a, shell: \"true\", timeout: 5s}\n", new Problems());
            }
            SshTargets.prepare();
        } catch (RuntimeException | LinkageError e) {
            // the main thread builds these again when it needs them and reports what fails then
        }
    }
}
