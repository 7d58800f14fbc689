package dev.opsctl.action.include;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.ParseContext;
import dev.opsctl.source.Node;
import dev.opsctl.source.Problems;
import dev.opsctl.source.YamlTree;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IncludeActionTypeTest {
    private final Problems problems = new Problems();
    private final IncludeActionType type = new IncludeActionType();

    private Optional<IncludeSpec> parse(String yaml) {
        Node node = YamlTree.parse("t.yaml", yaml, problems).orElseThrow();
        return type.parse(node, ParseContext.lenient(problems, Path.of(".")));
    }

    @Test
    void takesAFileName() {
        assertEquals(Optional.of(new IncludeSpec(Path.of("steps/deploy.yaml"), Map.of())), parse("steps/deploy.yaml"));
    }

    @Test
    void takesAFileWithPlainVars() {
        IncludeSpec spec = parse("{file: d.yaml, vars: {port: 8080, tags: [a, b], on: true, name: web}}").orElseThrow();
        assertEquals(Map.of("port", 8080L, "tags", List.of("a", "b"), "on", true, "name", "web"), spec.vars());
        assertTrue(problems.isEmpty(), problems.render());
    }

    @Test
    void reportsAMissingFileKeyAndUnknownKeys() {
        assertEquals(Optional.empty(), parse("{vars: {}, fiel: d.yaml}"));
        String out = problems.render();
        assertTrue(out.contains("missing required key 'file' in 'include'"), out);
        assertTrue(out.contains("unknown key 'fiel' in 'include'") && out.contains("did you mean 'file'?"), out);
    }

    @Test
    void neverRunsBecauseTheLoaderExpandsIt() {
        IncludeSpec spec = new IncludeSpec(Path.of("x.yaml"), Map.of());
        assertThrows(IllegalStateException.class, () -> type.execute(spec, null));
    }
}
