package dev.opsctl.checklist;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The standard step types, plus a stand-in {@code prometheus} ({url, query}; result field {@code value})
 * while the real one is not in the registry yet. Once it is, the real one is used.
 */
public final class TestActions {
    private TestActions() {}

    public static ActionRegistry registry() {
        ActionRegistry standard = ActionRegistry.standard();
        List<ActionType<?>> types = new ArrayList<>(standard.all());
        if (standard.find("prometheus").isEmpty()) {
            types.add(new FakePrometheus());
        }
        return new ActionRegistry(types);
    }

    public record PromSpec(String url, String query) {}

    static final class FakePrometheus implements ActionType<PromSpec> {
        @Override
        public String name() {
            return "prometheus";
        }

        @Override
        public String description() {
            return "a stand-in for tests";
        }

        @Override
        public String example() {
            return "";
        }

        @Override
        public Optional<Set<String>> resultFields() {
            return Optional.of(Set.of("value", "series"));
        }

        @Override
        public Optional<PromSpec> parse(Node node, ParseContext ctx) {
            return MapReader.of(node, "'prometheus'", ctx.problems()).map(r -> {
                String url = r.requiredString("url", "write url: http://prometheus:9090");
                String query = r.requiredString("query", "write query: up");
                r.finish();
                return new PromSpec(url, query);
            });
        }

        @Override
        public String summary(PromSpec spec) {
            return spec.query();
        }

        @Override
        public StepResult execute(PromSpec spec, StepContext ctx) {
            throw new UnsupportedOperationException("the stand-in prometheus type does not run");
        }
    }
}
