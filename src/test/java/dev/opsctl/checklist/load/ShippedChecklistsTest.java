package dev.opsctl.checklist.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.checklist.Checklist;
import dev.opsctl.checklist.Item;
import dev.opsctl.checklist.TestActions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ShippedChecklistsTest {
    private static final Path DIR = Path.of("checklists");
    private final ChecklistLoader loader = new ChecklistLoader(TestActions.registry());

    @TestFactory
    Stream<DynamicTest> everyShippedChecklistLoadsCleanly() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no checklists in " + DIR.toAbsolutePath());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            ChecklistLoadResult r = loader.load(f);
            assertTrue(r.ok(), () -> r.problems().render());
            assertTrue(r.problems().isEmpty(), () -> r.problems().render());
            Checklist c = r.checklist().orElseThrow();
            assertEquals(f.getFileName().toString().replace(".yaml", ""), c.name(), "metadata.name matches the file name");
            assertFalse(c.title().isEmpty(), "every shipped checklist has a title");
            c.items().forEach(i -> assertTrue(i.text().matches("(?s).*\\(.*[\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}].*\\).*"),
                    "item '" + i.id() + "' quotes the original Japanese item in parentheses: " + i.text()));
        }));
    }

    @Test
    void theSeedChecklistsAreAllShipped() {
        for (String name : List.of("userns-remap-predeploy", "userns-remap-post-immediate", "userns-remap-post-5min",
                "userns-remap-post-30min", "userns-remap-dashboard", "userns-remap-complete", "helm-migration-monitoring", "daily",
                "weekly", "monthly", "maintenance")) {
            assertTrue(Files.isRegularFile(DIR.resolve(name + ".yaml")), name);
        }
    }

    @Test
    void theDashboardChecklistChecksEveryPanelWithAProbe() {
        Checklist c = loader.load(DIR.resolve("userns-remap-dashboard.yaml")).checklist().orElseThrow();
        assertEquals(8, c.items().count());
        assertTrue(c.items().noneMatch(Item::manual));
        assertTrue(c.items().allMatch(i -> i.probe().orElseThrow().typeName().equals("prometheus") && i.expect().isPresent()));
    }

    @Test
    void theTimedGroupsWaitAsTheHandbookSays() {
        assertEquals(java.time.Duration.ofMinutes(5),
                loader.load(DIR.resolve("userns-remap-post-5min.yaml")).checklist().orElseThrow().groups().get(0).after());
        assertEquals(java.time.Duration.ofMinutes(30),
                loader.load(DIR.resolve("userns-remap-post-30min.yaml")).checklist().orElseThrow().groups().get(0).after());
    }
}
