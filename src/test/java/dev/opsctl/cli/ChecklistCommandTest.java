package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.StepResult;
import dev.opsctl.app.ChecklistPath;
import dev.opsctl.app.ChecklistService;
import dev.opsctl.checklist.TestActions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import picocli.CommandLine;

class ChecklistCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private ChecklistService service;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(dir.resolve("checklists"));
        Files.writeString(dir.resolve("checklists/predeploy.yaml"), """
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: predeploy, title: "Before the rollout"}
                params: {limit: 80}
                items:
                  - {id: disk, text: "disk below {{ limit }}%", probe: {shell: "df"}, expect: "stdout < limit"}
                  - {id: notified, text: "stakeholders notified"}
                """);
        service = new ChecklistService(ChecklistPath.standard(dir, Optional.empty(), Optional.empty()), TestActions.registry(),
                (inv, limit) -> List.of(dev.opsctl.inventory.Host.local()),
                (probe, host, vars) -> new StepResult(StepResult.Outcome.OK, 0, "42\n", "", "ok", Map.of(), Duration.ZERO),
                Clock.fixed(Instant.parse("2026-11-22T02:00:00Z"), ZoneOffset.UTC), d -> { });
    }

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new ChecklistCommand(service, Map.of("USER", "alice"), Optional::empty, ZoneOffset.UTC));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private String streams() {
        return "stdout:\n" + out + "\nstderr:\n" + err;
    }

    @Test
    void listShowsNamesAndTitles() {
        assertEquals(0, run("list"), streams());
        assertTrue(out.toString().contains("predeploy  Before the rollout"), streams());
    }

    @Test
    void showListsParamsItemsAndProbes() {
        assertEquals(0, run("show", "predeploy"), streams());
        assertTrue(out.toString().contains("limit (int) = 80"), streams());
        assertTrue(out.toString().contains("probe shell: df  expect: stdout < limit"), streams());
        assertTrue(out.toString().contains("notified  stakeholders notified\n      manual"), streams());
    }

    @Test
    void anUnansweredItemExitsFiveAndSaysHowToAnswer() {
        assertEquals(5, run("run", "predeploy"), streams());
        assertTrue(out.toString().contains("unanswered  notified"), streams());
        assertTrue(err.toString().contains("hint: unanswered items fail closed"), streams());
    }

    @Test
    void confirmingEveryManualItemPassesAndWritesAPrivateReport() throws Exception {
        Path report = dir.resolve("predeploy.md");
        assertEquals(0, run("run", "predeploy", "--confirm", "notified", "--report", report.toString(), "-e", "limit=90"), streams());
        assertTrue(out.toString().contains("passed: 2 passed"), streams());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(report)));
        assertTrue(Files.readString(report).contains("disk below 90%"));
    }

    @Test
    void jsonOutputIsOneDocument() {
        assertEquals(5, run("run", "predeploy", "-o", "json"), streams());
        assertTrue(out.toString().startsWith("{\"checklist\":\"predeploy\""), streams());
    }

    @Test
    void invalidInputExitsTwo() {
        assertEquals(2, run("run", "predeploy", "--confirm", "notifed"), streams());
        assertTrue(err.toString().contains("--confirm notifed: error: checklist 'predeploy' has no item 'notifed'"), streams());
        assertTrue(err.toString().contains("did you mean 'notified'?"), streams());
        assertEquals(2, run("run", "postdeploy"), streams());
        assertTrue(err.toString().contains("error: no checklist named 'postdeploy'"), streams());
        assertEquals(2, run("run", "predeploy", "-e", "limit=high"), streams());
    }

    @Test
    void checklistRunWithAnInventoryProbesEachHostWithItsInventoryAddress() throws Exception {
        Files.writeString(dir.resolve("checklists/reach.yaml"), """
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: reach, title: Reach}
                scope: host
                items:
                  - {id: addressed, text: "reached by address", probe: {shell: "echo {{ host.name }}={{ host.address }}"}}
                """);
        Files.writeString(dir.resolve("inventory.yaml"), """
                apiVersion: opsctl/v1
                kind: Inventory
                hosts:
                  web1: {address: 127.0.0.5, connection: local}
                  web2: {address: 127.0.0.6, connection: local}
                """);
        CliResult r = CliResult.run(Map.of("TERM", "dumb", "USER", "alice", "HOME", dir.toString()), dir,
                "checklist", "run", "reach", "-i", "inventory.yaml", "-l", "web2", "-o", "json");
        assertEquals(0, r.code(), r.dump());
        assertTrue(r.out().contains("\"stdout\":\"web2=127.0.0.6\""), r.dump());
        assertTrue(r.out().contains("\"hosts\":[\"web2\"]"), r.dump());
    }
}
