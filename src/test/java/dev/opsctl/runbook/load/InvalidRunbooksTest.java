package dev.opsctl.runbook.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Golden diagnostics: each {@code src/test/resources/runbooks/invalid/NAME.yaml} is loaded and the exact
 * {@code Problems.render()} text is compared with {@code NAME.expected} (files named as
 * {@code runbooks/invalid/NAME.yaml}). Helper files for includes live in {@code invalid/parts/}.
 *
 * <p>After an intended change of wording, rewrite every {@code .expected} file with
 * {@code UPDATE_GOLDEN=1 mvn test -Dtest=InvalidRunbooksTest} (or {@code -DUPDATE_GOLDEN=1}) and review the
 * diff before committing.
 */
class InvalidRunbooksTest {
    private static final Path RESOURCES = Path.of("src/test/resources");
    private static final Path DIR = RESOURCES.resolve("runbooks/invalid");

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
        LoadResult result = new RunbookLoader(TestRegistry.create(), TestRegistry.CHECKLISTS)
                .load(display, Files.readString(yaml, StandardCharsets.UTF_8), DIR);
        String actual = result.problems().render();
        if (update()) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
        }
        assertFalse(result.ok(), name + " should not load");
        assertTrue(Files.exists(expectedFile), "missing " + expectedFile + "; run with UPDATE_GOLDEN=1 to create it\n" + actual);
        assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8), actual, name);
    }

    @Test
    void thereAreEnoughFixturesAndEachHasItsExpectedText() throws IOException {
        List<String> names = fixtures().toList();
        assertTrue(names.size() >= 14, "only " + names.size() + " invalid fixtures");
        for (String n : names) {
            assertTrue(Files.exists(DIR.resolve(n + ".expected")), n + ".expected");
        }
    }

    private static boolean update() {
        return "1".equals(System.getenv("UPDATE_GOLDEN")) || "1".equals(System.getProperty("UPDATE_GOLDEN"));
    }
}
