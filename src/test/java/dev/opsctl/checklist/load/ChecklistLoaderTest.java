package dev.opsctl.checklist.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.checklist.Checklist;
import dev.opsctl.checklist.Item;
import dev.opsctl.checklist.Placement;
import dev.opsctl.checklist.TestActions;
import dev.opsctl.param.Param;
import dev.opsctl.param.ParamType;
import dev.opsctl.source.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChecklistLoaderTest {
    private final ChecklistLoader loader = new ChecklistLoader(TestActions.registry());

    private Checklist load(String text) {
        ChecklistLoadResult r = loader.load("checklists/t.yaml", text, Path.of("."));
        assertTrue(r.ok(), () -> r.problems().render());
        return r.checklist().orElseThrow();
    }

    @Test
    void readsEveryKeyOfTheFullFixture() {
        ChecklistLoadResult r = loader.load(Path.of("src/test/resources/checklists/valid/full.yaml"));
        assertTrue(r.ok(), () -> r.problems().render());
        Checklist c = r.checklist().orElseThrow();
        assertEquals("full", c.name());
        assertEquals("Every feature", c.title());
        assertEquals(Placement.CONTROLLER, c.scope());
        assertEquals(List.of("immediately", "later"), c.groups().stream().map(g -> g.name()).toList());
        assertEquals(Duration.ofMinutes(5), c.groups().get(1).after());
        Item userns = c.item("userns-enabled").orElseThrow();
        assertEquals("shell", userns.probe().orElseThrow().typeName());
        assertEquals(Optional.of("stdout contains \"name=userns\""), userns.expect());
        assertEquals(Duration.ofSeconds(30), userns.holdFor());
        assertEquals(Duration.ofSeconds(10), userns.interval());
        assertEquals(3, userns.retries());
        assertEquals(Placement.HOST, userns.placement());
        Item notified = c.item("stakeholders-notified").orElseThrow();
        assertTrue(notified.manual());
        assertTrue(notified.noteRequired());
        assertEquals(Placement.CONTROLLER, c.item("dashboard").orElseThrow().placement());
        Param token = c.param("api_token").orElseThrow();
        assertEquals(ParamType.SECRET, token.type());
        assertTrue(token.defaultValue().orElseThrow() instanceof Secret);
        assertEquals(Optional.of(0L), c.param("max_errors").orElseThrow().defaultValue());
    }

    @Test
    void itemsWithoutGroupsFormOneGroupAndManualIsTheDefaultWithoutAProbe() {
        Checklist c = load("""
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: t}
                scope: host
                items:
                  - {id: a, text: "A"}
                  - {id: b, text: "B", on: controller}
                """);
        assertEquals(1, c.groups().size());
        assertEquals(Duration.ZERO, c.groups().get(0).after());
        assertTrue(c.item("a").orElseThrow().manual());
        assertEquals(Placement.HOST, c.item("a").orElseThrow().placement());
        assertEquals(Placement.CONTROLLER, c.item("b").orElseThrow().placement());
        assertEquals("t", c.displayTitle());
    }

    @Test
    void aProbeIsParsedByItsStepTypeWhichReportsItsOwnProblems() {
        ChecklistLoadResult r = loader.load("checklists/t.yaml", """
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: t}
                items:
                  - id: h
                    text: "H"
                    probe: {http: {url: "http://x", method: "G E T"}}
                """, Path.of("."));
        assertFalse(r.ok());
        assertTrue(r.problems().render().contains("checklists/t.yaml:7:"), r.problems().render());
        assertTrue(r.problems().render().contains("'method' in 'http'"), r.problems().render());
    }

    @Test
    void anItemsWhenIsKeptAndMayReadTheRunsBackendNamespaceAndContext() {
        Checklist c = load("""
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: t}
                items:
                  - {id: a, text: "A", probe: {shell: "docker info"}, when: 'run.backend == "docker"'}
                  - {id: b, text: "B", when: 'run.namespace != "" and run.context == ""'}
                  - {id: c, text: "C"}
                """);
        assertEquals(java.util.Optional.of("run.backend == \"docker\""), c.item("a").orElseThrow().when());
        assertEquals(java.util.Optional.of("run.namespace != \"\" and run.context == \"\""), c.item("b").orElseThrow().when());
        assertEquals(java.util.Optional.empty(), c.item("c").orElseThrow().when());
    }
}
