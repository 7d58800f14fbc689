package dev.opsctl.checklist.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.checklist.TestActions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden diagnostics: each {@code src/test/resources/checklists/invalid/NAME.yaml} is loaded and the exact
 * {@code Problems.render()} text compared with {@code NAME.expected}. After an intended change of wording,
 * rewrite them with {@code UPDATE_GOLDEN=1 mvn test -Dtest=InvalidChecklistsTest} and review the diff.
 */
class InvalidChecklistsTest {
    private static final Path RESOURCES = Path.of("src/test/resources");
    private static final Path DIR = RESOURCES.resolve("checklists/invalid");

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted()
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void reportsExactlyTheExpectedProblems(String name) throws IOException {
        Path yaml = DIR.resolve(name + ".yaml");
        Path expectedFile = DIR.resolve(name + ".expected");
        String display = RESOURCES.relativize(yaml).toString().replace('\\', '/');
        ChecklistLoadResult result = new ChecklistLoader(TestActions.registry())
                .load(display, Files.readString(yaml, StandardCharsets.UTF_8), DIR);
        String actual = result.problems().render();
        if (System.getenv("UPDATE_GOLDEN") != null || System.getProperty("UPDATE_GOLDEN") != null) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
        }
        assertFalse(result.ok(), name + " should not load");
        assertTrue(Files.exists(expectedFile), "missing " + expectedFile + "; run with UPDATE_GOLDEN=1 to create it\n" + actual);
        assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8), actual, name);
    }

    @Test
    void everyFixtureHasItsExpectedText() throws IOException {
        List<String> names = fixtures().toList();
        assertTrue(names.size() >= 10, "only " + names.size() + " invalid fixtures");
        for (String n : names) {
            assertTrue(Files.exists(DIR.resolve(n + ".expected")), n + ".expected");
        }
    }
}
