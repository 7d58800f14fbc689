package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.StepResult;
import dev.opsctl.checklist.TestActions;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.checklist.run.ChecklistResult;
import dev.opsctl.checklist.run.ItemStatus;
import dev.opsctl.checklist.run.ProbeRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecklistServiceTest {
    @TempDir
    Path dir;

    private ChecklistService service;

    static final String PREDEPLOY = """
            apiVersion: opsctl/v1
            kind: Checklist
            metadata: {name: predeploy, title: "Before"}
            params:
              dashboard_url: "http://127.0.0.1:3000/api/health"
              token: {type: secret, env: TEST_TOKEN}
            scope: host
            items:
              - {id: dashboard, text: "dashboard up", on: controller, probe: {http: {url: "{{ dashboard_url }}"}}, expect: "status == 200"}
              - {id: notified, text: "stakeholders notified", on: controller, note_required: true}
              - {id: backups, text: "backups taken"}
            """;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(dir.resolve("checklists"));
        Files.writeString(dir.resolve("checklists/predeploy.yaml"), PREDEPLOY);
        Files.writeString(dir.resolve("checklists/broken.yaml"), "apiVersion: opsctl/v1\nkind: Checklist\n");
        ProbeRunner probes = (probe, host, vars) -> new StepResult(StepResult.Outcome.OK, 0, "", "", "200", Map.of("status", 200L), Duration.ZERO);
        HostResolver hosts = (inventory, limit) -> List.of(host("web1", "10.0.0.1"), host("web2", "10.0.0.2"));
        service = new ChecklistService(ChecklistPath.standard(dir, Optional.empty(), Optional.empty()), TestActions.registry(), hosts, probes,
                Clock.fixed(Instant.parse("2026-11-22T02:00:00Z"), ZoneOffset.UTC), d -> { });
    }

    private ChecklistRequest request(List<String> confirms, Optional<Path> answers) {
        return new ChecklistRequest("predeploy", Optional.empty(), Optional.empty(), Map.of(), confirms, answers, "alice",
                Map.of("TEST_TOKEN", "abcd-token"));
    }

    @Test
    void listsTheChecklistsOnThePathAndSaysWhichDoNotLoad() {
        List<ChecklistService.Entry> all = service.list();
        assertEquals(List.of("broken", "predeploy"), all.stream().map(ChecklistService.Entry::name).toList());
        assertTrue(all.get(0).problem().orElseThrow().contains("broken.yaml:1:1: error: missing required key"), all.get(0).problem().orElseThrow());
        assertEquals("Before", all.get(1).title());
    }

    @Test
    void theSearchPathBacksTheRunbookLoadersChecklistNames() {
        SearchPathChecklists names = new SearchPathChecklists(service.path());
        assertTrue(names.exists("predeploy"));
        assertFalse(names.exists("postdeploy"));
        assertTrue(names.names().contains("broken"));
    }

    @Test
    void withoutAnswersManualItemsFailClosed() throws Exception {
        ChecklistResult r = service.run(request(List.of(), Optional.empty()), ChecklistPrompter.NONE);
        assertFalse(r.passed());
        assertEquals(3, r.count(ItemStatus.UNANSWERED), r.verdict());
        assertEquals(ItemStatus.PASSED, r.find("dashboard").orElseThrow().status());
    }

    @Test
    void confirmByIdAndByIdAtHostAndAnswersFileTogetherPass() throws Exception {
        Path answers = dir.resolve("answers.yaml");
        Files.writeString(answers, """
                operator: bob
                answers:
                  notified: {status: confirmed, note: "mail sent 01:50"}
                  backups@web2: {status: skipped, note: "web2 is new, nothing to back up", operator: carol}
                """);
        ChecklistResult r = service.run(request(List.of("backups@web1"), Optional.of(answers)), ChecklistPrompter.NONE);
        assertTrue(r.passed(), r.verdict());
        assertEquals("bob", r.find("notified").orElseThrow().operator());
        assertEquals("carol", r.find("backups@web2").orElseThrow().operator());
        assertEquals(ItemStatus.SKIPPED, r.find("backups@web2").orElseThrow().status());
        assertEquals("alice", r.find("backups@web1").orElseThrow().operator());
    }

    @Test
    void aConfirmOnTheCommandLineCannotSatisfyANoteRequiredItem() throws Exception {
        ChecklistResult r = service.run(request(List.of("notified", "backups"), Optional.empty()), ChecklistPrompter.NONE);
        assertEquals(ItemStatus.UNANSWERED, r.find("notified").orElseThrow().status());
        assertFalse(r.passed());
    }

    @Test
    void badAnswersAreReportedWithPositions() throws Exception {
        Path answers = dir.resolve("answers.yaml");
        Files.writeString(answers, """
                answers:
                  notifed: confirmed
                  dashboard: confirmed
                  backups: {status: skiped}
                """);
        ChecklistException e = assertThrows(ChecklistException.class,
                () -> service.run(request(List.of("nope"), Optional.of(answers)), ChecklistPrompter.NONE));
        String msg = e.getMessage();
        assertTrue(msg.contains(answers + ":2:3: error: checklist 'predeploy' has no item 'notifed'"), msg);
        assertTrue(msg.contains("hint: did you mean 'notified'?"), msg);
        assertTrue(msg.contains(answers + ":3:3: error: item 'dashboard' is checked by a probe and cannot be answered"), msg);
        assertTrue(msg.contains(answers + ":4:21: error: unknown answer status 'skiped'"), msg);
        assertTrue(msg.contains("--confirm nope: error: checklist 'predeploy' has no item 'nope'"), msg);
    }

    @Test
    void unknownOrUntypedParamsAreInvalidInput() {
        ChecklistRequest bad = new ChecklistRequest("predeploy", Optional.empty(), Optional.empty(), Map.of("dashbord_url", "x"), List.of(),
                Optional.empty(), "alice", Map.of());
        ChecklistException e = assertThrows(ChecklistException.class, () -> service.run(bad, ChecklistPrompter.NONE));
        assertTrue(e.getMessage().contains("has no param 'dashbord_url'"), e.getMessage());
        assertTrue(e.getMessage().contains("param 'token' of checklist 'predeploy' needs a value"), e.getMessage());
    }

    @Test
    void anUnknownChecklistNamesThePathSearched() {
        ChecklistException e = assertThrows(ChecklistException.class, () -> service.load("postdeploy"));
        assertTrue(e.getMessage().startsWith("no checklist named 'postdeploy' in " + dir.resolve("checklists")), e.getMessage());
    }

    private static dev.opsctl.inventory.Host host(String name, String address) {
        return new dev.opsctl.inventory.Host(name, address, Optional.empty(), Optional.of("deploy"), Optional.empty(), false, "root",
                dev.opsctl.inventory.Connection.SSH, List.of("all", "web"), Map.of());
    }

    @Test
    void hostItemsSeeTheInventoryAddressPortAndUserNotTheHostName() throws Exception {
        Files.writeString(dir.resolve("checklists/reach.yaml"), """
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: reach, title: Reach}
                scope: host
                items:
                  - {id: ping, text: "ping {{ host.address }}", probe: {shell: "ping -c1 {{ host.address }}"}}
                """);
        List<String> seen = new java.util.ArrayList<>();
        ProbeRunner probes = (probe, host, vars) -> {
            Map<?, ?> h = (Map<?, ?>) vars.get("host");
            seen.add(host.orElse("") + " " + h.get("address") + ":" + h.get("port") + " " + h.get("user"));
            return new StepResult(StepResult.Outcome.OK, 0, "", "", "ok", Map.of(), Duration.ZERO);
        };
        ChecklistService svc = new ChecklistService(ChecklistPath.standard(dir, Optional.empty(), Optional.empty()), TestActions.registry(),
                (inventory, limit) -> List.of(host("web1", "10.0.0.1"), host("web2", "10.0.0.2")), probes,
                Clock.fixed(Instant.parse("2026-11-22T02:00:00Z"), ZoneOffset.UTC), d -> { });
        ChecklistResult r = svc.run(new ChecklistRequest("reach", Optional.of(Path.of("inv.yaml")), Optional.empty(), Map.of(), List.of(),
                Optional.empty(), "alice", Map.of()), dev.opsctl.checklist.run.ChecklistPrompter.NONE);
        assertTrue(r.passed());
        assertEquals(List.of("web1 10.0.0.1:22 deploy", "web2 10.0.0.2:22 deploy"), seen);
    }
}
