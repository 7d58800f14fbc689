package dev.opsctl.runbook.load;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.include.IncludeActionType;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Small fake step types for loader tests, standing in for the real ones: {@code shell} (a command, or
 * {cmd, ok_when}), {@code http} ({url, expect}; results carry status and body), {@code backup}
 * ({paths}) and the real {@code include}.
 */
final class TestRegistry {
    private TestRegistry() {}

    static ActionRegistry create() {
        return new ActionRegistry(List.of(new FakeShell(), new FakeHttp(), new FakeBackup(), new IncludeActionType()));
    }

    static final Checklists CHECKLISTS = Checklists.of(List.of("predeploy", "post-deploy-immediate", "final-review"));

    record ShellSpec(String cmd, Optional<String> okWhen) {}

    record HttpSpec(String url, Optional<String> expect) {}

    record BackupSpec(List<String> paths) {}

    abstract static class Fake<S> implements ActionType<S> {
        @Override
        public String description() {
            return "a fake for tests";
        }

        @Override
        public String example() {
            return "";
        }

        @Override
        public StepResult execute(S spec, StepContext ctx) {
            throw new UnsupportedOperationException("fake step types do not run");
        }
    }

    static final class FakeShell extends Fake<ShellSpec> {
        @Override
        public String name() {
            return "shell";
        }

        @Override
        public Optional<ShellSpec> parse(Node node, ParseContext ctx) {
            if (node instanceof ScalarNode s && s.kind() == ScalarNode.Kind.STRING) {
                return Optional.of(new ShellSpec(s.text(), Optional.empty()));
            }
            return MapReader.of(node, "'shell'", ctx.problems()).map(r -> {
                String cmd = r.requiredString("cmd", "write shell: {cmd: ...}");
                Optional<String> okWhen = r.string("ok_when");
                okWhen.ifPresent(c -> ctx.checkCondition(c, r.node("ok_when").orElseThrow().pos(), Set.of("rc", "stdout", "stderr")));
                r.finish();
                return new ShellSpec(cmd, okWhen);
            });
        }
    }

    static final class FakeHttp extends Fake<HttpSpec> {
        @Override
        public String name() {
            return "http";
        }

        @Override
        public Optional<Set<String>> resultFields() {
            return Optional.of(Set.of("status", "body"));
        }

        @Override
        public Optional<HttpSpec> parse(Node node, ParseContext ctx) {
            return MapReader.of(node, "'http'", ctx.problems()).map(r -> {
                String url = r.requiredString("url", "write http: {url: ...}");
                Optional<String> expect = r.string("expect");
                expect.ifPresent(c -> ctx.checkCondition(c, r.node("expect").orElseThrow().pos(), Set.of("status", "body")));
                r.finish();
                return new HttpSpec(url, expect);
            });
        }
    }

    static final class FakeBackup extends Fake<BackupSpec> {
        @Override
        public String name() {
            return "backup";
        }

        @Override
        public Optional<BackupSpec> parse(Node node, ParseContext ctx) {
            return MapReader.of(node, "'backup'", ctx.problems()).map(r -> {
                List<String> paths = r.stringList("paths");
                r.finish();
                return new BackupSpec(paths);
            });
        }
    }
}
