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
 * Runs probes on this machine: controller items, and host items for {@code localhost}. Other hosts are
 * unreachable until the engine's step context (SSH targets) takes this runner's place.
 */
public final class LocalProbeRunner implements ProbeRunner {
    private static final Set<String> LOCAL = Set.of("localhost", "127.0.0.1", "::1");
    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);
    private final Clock clock;
    private final Sleeper sleeper;
    private final Target local = new LocalTarget();

    public LocalProbeRunner(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public StepResult run(Invocation<?> probe, Optional<String> host, Map<String, Object> vars) throws TargetException, InterruptedException {
        if (host.isPresent() && !LOCAL.contains(host.get())) {
            throw TargetException.unreachable(host.get(), "this build runs checklist probes on the local host only", null);
        }
        Instant start = clock.instant();
        StepResult r = probe.execute(new Context(host.orElse("localhost"), vars));
        return r.withElapsed(Duration.between(start, clock.instant()));
    }

    private final class Context implements StepContext {
        private final String host;
        private final MapScope scope;
        private final Masker masker;
        private Path runDir;

        Context(String host, Map<String, Object> vars) {
            this.host = host;
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
            return local;
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
