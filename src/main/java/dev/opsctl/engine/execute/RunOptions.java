package dev.opsctl.engine.execute;

import dev.opsctl.source.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How one run goes. {@code started} is the first start (a resume keeps it, so
 * {@code run.timestamp} paths stay the same). {@code timeoutGrace}: how long past a step's
 * {@code timeout} the engine waits for the step to stop by itself before interrupting it.
 * {@code dryRunTriggers}: triggers are evaluated against live probes and reported, never acted on.
 * {@code confirms}: the step ids pre-answered yes ({@code --confirm ID}) for {@code confirm} steps.
 * {@code runFields}: more {@code run.*} template variables from the caller (the container backend:
 * {@code run.backend}, {@code run.namespace}, {@code run.context}); the engine's own fields win.
 */
public record RunOptions(
        String runId,
        Path runDir,
        String operator,
        Instant started,
        ZoneId zone,
        int forks,
        boolean ignoreWindow,
        boolean dryRun,
        Optional<Secret> sudoPassword,
        Map<String, String> env,
        Duration timeoutGrace,
        boolean resumed,
        StopSignal stop,
        boolean dryRunTriggers,
        Set<String> confirms,
        Map<String, String> runFields) {

    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    public RunOptions {
        env = Map.copyOf(env);
        confirms = Set.copyOf(confirms);
        runFields = Map.copyOf(runFields);
        if (forks < 1) {
            throw new IllegalArgumentException("forks must be at least 1, got " + forks);
        }
    }

    public RunOptions(String runId, Path runDir, String operator, Instant started, ZoneId zone, int forks, boolean ignoreWindow,
            boolean dryRun, Optional<Secret> sudoPassword, Map<String, String> env, Duration timeoutGrace, boolean resumed,
            StopSignal stop) {
        this(runId, runDir, operator, started, zone, forks, ignoreWindow, dryRun, sudoPassword, env, timeoutGrace, resumed, stop,
                false);
    }

    public RunOptions(String runId, Path runDir, String operator, Instant started, ZoneId zone, int forks, boolean ignoreWindow,
            boolean dryRun, Optional<Secret> sudoPassword, Map<String, String> env, Duration timeoutGrace, boolean resumed,
            StopSignal stop, boolean dryRunTriggers) {
        this(runId, runDir, operator, started, zone, forks, ignoreWindow, dryRun, sudoPassword, env, timeoutGrace, resumed, stop,
                dryRunTriggers, Set.of());
    }

    public RunOptions(String runId, Path runDir, String operator, Instant started, ZoneId zone, int forks, boolean ignoreWindow,
            boolean dryRun, Optional<Secret> sudoPassword, Map<String, String> env, Duration timeoutGrace, boolean resumed,
            StopSignal stop, boolean dryRunTriggers, Set<String> confirms) {
        this(runId, runDir, operator, started, zone, forks, ignoreWindow, dryRun, sudoPassword, env, timeoutGrace, resumed, stop,
                dryRunTriggers, confirms, Map.of());
    }

    public RunOptions withDryRunTriggers(boolean b) {
        return new RunOptions(runId, runDir, operator, started, zone, forks, ignoreWindow, dryRun, sudoPassword, env, timeoutGrace,
                resumed, stop, b, confirms, runFields);
    }

    public RunOptions withConfirms(java.util.Collection<String> ids) {
        return new RunOptions(runId, runDir, operator, started, zone, forks, ignoreWindow, dryRun, sudoPassword, env, timeoutGrace,
                resumed, stop, dryRunTriggers, Set.copyOf(ids), runFields);
    }

    public RunOptions withRunFields(Map<String, String> fields) {
        return new RunOptions(runId, runDir, operator, started, zone, forks, ignoreWindow, dryRun, sudoPassword, env, timeoutGrace,
                resumed, stop, dryRunTriggers, confirms, fields);
    }
}
