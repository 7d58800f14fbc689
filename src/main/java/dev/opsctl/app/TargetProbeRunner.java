package dev.opsctl.app;

import dev.opsctl.action.Invocation;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.checklist.run.ProbeRunner;
import dev.opsctl.checklist.run.Sleeper;
import dev.opsctl.source.Secret;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.local.LocalTarget;
import dev.opsctl.template.Condition;
import dev.opsctl.template.MapScope;
import dev.opsctl.template.Masker;
import dev.opsctl.template.Quoting;
import dev.opsctl.template.Template;
import dev.opsctl.template.TemplateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs checklist probes: controller items on this machine, host items on the host's own target
 * (local or SSH), opened on first use and kept until {@link #close()}. Without a lookup, only
 * {@code localhost} can be reached.
 */
public final class TargetProbeRunner implements ProbeRunner, AutoCloseable {
    /** The target of a host by name, or empty when the run does not know the host. */
    @FunctionalInterface
    public interface Lookup {
        Optional<Target> open(String host) throws TargetException;
    }

    private static final Set<String> LOCAL = Set.of("localhost", "127.0.0.1", "::1");
    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);
    private final Clock clock;
    private final Sleeper sleeper;
    private final Target local = new LocalTarget();
    private final Lookup lookup;
    private final Map<String, Target> opened = new java.util.concurrent.ConcurrentHashMap<>();

    public TargetProbeRunner(Clock clock, Sleeper sleeper) {
        this(clock, sleeper, host -> Optional.empty());
    }

    public TargetProbeRunner(Clock clock, Sleeper sleeper, Lookup lookup) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.lookup = lookup;
    }

    @Override
    public void close() {
        opened.values().forEach(Target::close);
        opened.clear();
        local.close();
    }

    private Target targetOf(Optional<String> host) throws TargetException {
        if (host.isEmpty()) {
            return local;
        }
        Target t = opened.get(host.get());
        if (t != null) {
            return t;
        }
        Optional<Target> found = lookup.open(host.get());
        if (found.isPresent()) {
            opened.put(host.get(), found.get());
            return found.get();
        }
        if (LOCAL.contains(host.get())) {
            return local;
        }
        throw TargetException.unreachable(host.get(), "the host is not part of this run", null);
    }

    @Override
    public StepResult run(Invocation<?> probe, Optional<String> host, Map<String, Object> vars) throws TargetException, InterruptedException {
        Target target = targetOf(host);
        Instant start = clock.instant();
        StepResult r = probe.execute(new Context(host.orElse("localhost"), target, vars));
        return r.withElapsed(Duration.between(start, clock.instant()));
    }

    private final class Context implements StepContext {
        private final String host;
        private final Target target;
        private final MapScope scope;
        private final Masker masker;
        private Path runDir;

        Context(String host, Target target, Map<String, Object> vars) {
            this.host = host;
            this.target = target;
            this.scope = new MapScope(vars);
            List<String> secrets = new ArrayList<>();
            vars.values().forEach(v -> {
                if (v instanceof Secret s) {
                    secrets.add(s.reveal());
                }
            });
            this.masker = new Masker(secrets);
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public Target target() {
            return target;
        }

        @Override
        public String render(String template) throws TemplateException {
            return Template.parse(template).render(scope, Quoting.NONE);
        }

        @Override
        public String renderCommand(String template) throws TemplateException {
            return Template.parse(template).render(scope, Quoting.SHELL);
        }

        @Override
        public boolean test(String condition, Map<String, Object> extra) throws TemplateException {
            return Condition.parse(condition).test(new MapScope(extra).orElse(scope));
        }

        @Override
        public Optional<Duration> timeout() {
            return Optional.of(PROBE_TIMEOUT);
        }

        @Override
        public Sudo sudo() {
            return Sudo.NONE;
        }

        @Override
        public String runId() {
            return "checklist";
        }

        @Override
        public Path runDir() {
            if (runDir == null) {
                try {
                    runDir = Files.createTempDirectory("opsctl-checklist-",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot create a directory for probe artefacts", e);
                }
            }
            return runDir;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            sleeper.sleep(d);
        }

        @Override
        public void progress(String line) {
            // evidence is reported when the item finishes; live lines have no reader here
        }

        @Override
        public String mask(String text) {
            return masker.mask(text);
        }
    }
}
