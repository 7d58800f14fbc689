package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.RunEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gates inside runs: checklists beside the runbook, answered ahead or failing closed, journaled with who and when. */
class GatedRunTest {
    @TempDir
    Path tmp;

    private Path runbook;
    private Path marker;

    @BeforeEach
    void writeRunbookAndChecklists() throws Exception {
        Files.createDirectories(tmp.resolve("runbooks"));
        Files.createDirectories(tmp.resolve("checklists"));
        marker = tmp.resolve("deployed");
        Files.writeString(tmp.resolve("checklists/predeploy.yaml"), """
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: predeploy, title: Before the rollout}
                items:
                  - id: window-approved
                    text: The maintenance window is approved
                  - id: disk-ok
                    text: The controller has a shell
                    probe: {shell: "true"}
                """);
        Files.writeString(tmp.resolve("checklists/deployed.yaml"), """
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: deployed, title: After each host}
                params:
                  marker: {type: string, default: /nonexistent}
                scope: host
                items:
                  - id: marker-present
                    text: The deploy left its marker
                    probe: {shell: "test -f {{ marker }}"}
                """);
        runbook = Files.writeString(tmp.resolve("runbooks/gated.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: gated}
                params:
                  marker: {type: string}
                  approvals_needed: {type: int, default: 1}
                gates:
                  before_run: [predeploy]
                  after_host: [deployed]
                steps:
                  - id: deploy
                    shell: "touch {{ marker }}"
                """);
    }

    private Services services(String operator) {
        Env env = Env.from(Map.of("USER", operator, "HOME", tmp.toString()), Optional.of(tmp.resolve("state")), Optional.empty(),
                false, Clock.systemUTC());
        return Services.standard(env, Prompter.NON_INTERACTIVE);
    }

    private RunRequest request() {
        return RunRequest.of(runbook).withExtraVars(List.of("marker=" + marker));
    }

    @Test
    void anUnansweredManualItemStopsTheRunBeforeAnyStepWithExit5() throws Exception {
        RecordingSink events = new RecordingSink();
        int code = services("alice").runs().run(request(), events);
        assertEquals(ExitCodes.GATE_FAILED, code, events.all().toString());
        assertFalse(Files.exists(marker), "no step ran");
        RunEvent.GateEvaluated gate = events.of(RunEvent.GateEvaluated.class).get(0);
        assertEquals("before_run", gate.phase());
        assertFalse(gate.passed());
        assertEquals("unanswered", gate.answers().get(0).get("status"));
        assertEquals("passed", gate.answers().get(1).get("status"), "the checked item ran its probe");
        RunEvent.RunFinished done = events.of(RunEvent.RunFinished.class).get(0);
        assertTrue(done.message().contains("1 unanswered (window-approved)"), done.message());
        assertTrue(done.message().contains("--confirm ID"), done.message());
    }

    @Test
    void confirmedItemsPassAndEveryAnswerIsJournaledWithOperatorAndTime() throws Exception {
        RecordingSink events = new RecordingSink();
        int code = services("alice").runs().run(request().withAnswers(new GateAnswers(List.of("window-approved"), Optional.empty())),
                events);
        assertEquals(ExitCodes.OK, code, events.all().toString());
        assertTrue(Files.exists(marker));
        List<RunEvent.GateEvaluated> gates = events.of(RunEvent.GateEvaluated.class);
        assertEquals(List.of("before_run", "after_host"), gates.stream().map(RunEvent.GateEvaluated::phase).toList());
        assertEquals("alice", gates.get(0).answers().get(0).get("operator"));
        assertEquals("localhost", gates.get(1).host());
        String runId = services("alice").history().list().get(0).runId();
        String journal = Files.readString(tmp.resolve("state/runs").resolve(runId).resolve("journal.jsonl"));
        assertTrue(journal.contains("\"type\":\"gate-evaluated\""), journal);
        assertTrue(journal.contains("\"operator\":\"alice\""), journal);
    }

    @Test
    void oneAnswersFileAnswersEveryGateOfTheRunAndAnIdOfNoGateIsStillAnError() throws Exception {
        Files.writeString(tmp.resolve("checklists/done.yaml"), """
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: done, title: After the rollout}
                items:
                  - id: ops-notified
                    text: The operations team knows
                """);
        Files.writeString(runbook, Files.readString(runbook).replace("after_host: [deployed]", "after_host: [deployed]\n  after_run: [done]"));
        Path answers = Files.writeString(tmp.resolve("answers.yaml"), """
                answers:
                  window-approved: {status: confirmed, note: CHG-1}
                  ops-notified: confirmed
                """);
        RecordingSink events = new RecordingSink();
        int code = services("alice").runs().run(request().withAnswers(new GateAnswers(List.of(), Optional.of(answers))), events);
        assertEquals(ExitCodes.OK, code, events.all().toString());
        assertEquals(List.of("before_run", "after_host", "after_run"),
                events.of(RunEvent.GateEvaluated.class).stream().map(RunEvent.GateEvaluated::phase).toList());

        Files.writeString(answers, Files.readString(answers) + "  ops-notifed: confirmed\n");
        RecordingSink typo = new RecordingSink();
        assertEquals(ExitCodes.GATE_FAILED, services("alice").runs().run(request().withAnswers(new GateAnswers(List.of(),
                Optional.of(answers))), typo));
        String message = typo.of(RunEvent.RunFinished.class).get(0).message();
        assertTrue(message.contains("checklist 'predeploy' has no item 'ops-notifed'"), message);
    }

    @Test
    void aGateProbeSeesTheInventoryAddressOfTheHostNotItsName() throws Exception {
        Files.writeString(tmp.resolve("checklists/deployed.yaml"), """
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: deployed, title: After each host}
                scope: host
                items:
                  - id: addressed
                    text: The probe reaches the host by its inventory address
                    probe: {shell: "test {{ host.address }} = 127.0.0.5 && test {{ host.name }} = web1"}
                """);
        Path inventory = Files.writeString(tmp.resolve("inventory.yaml"), """
                apiVersion: opsctl/v1
                kind: Inventory
                hosts:
                  web1: {address: 127.0.0.5, connection: local}
                """);
        RecordingSink events = new RecordingSink();
        int code = services("alice").runs().run(request().withInventory(inventory)
                .withAnswers(new GateAnswers(List.of("window-approved"), Optional.empty())), events);
        assertEquals(ExitCodes.OK, code, events.all().toString());
        assertTrue(events.of(RunEvent.GateEvaluated.class).get(1).passed(), events.all().toString());
    }

    @Test
    void anAfterHostGateWhoseProbeFailsStopsTheHostAsGateFailed() throws Exception {
        Files.writeString(runbook, Files.readString(runbook).replace("touch {{ marker }}", "true"));
        RecordingSink events = new RecordingSink();
        int code = services("alice").runs().run(request().withAnswers(new GateAnswers(List.of("window-approved"), Optional.empty())),
                events);
        assertEquals(ExitCodes.GATE_FAILED, code, events.all().toString());
        RunEvent.HostFinished host = events.of(RunEvent.HostFinished.class).get(0);
        assertEquals("gate_failed", host.status());
        assertTrue(host.message().contains("gate after_host 'deployed' on host 'localhost' not passed: 1 failed (marker-present@localhost)"),
                host.message());
    }

    @Test
    void fourEyesNeedsASecondOperatorWhoSignsOffWithRunsApprove() throws Exception {
        Files.writeString(runbook, Files.readString(runbook).replace("  after_host: [deployed]", "  approvals: 2"));
        RecordingSink first = new RecordingSink();
        GateAnswers confirmed = new GateAnswers(List.of("window-approved"), Optional.empty());
        assertEquals(ExitCodes.GATE_FAILED, services("alice").runs().run(request().withAnswers(confirmed), first));
        String message = first.of(RunEvent.RunFinished.class).get(0).message();
        assertTrue(message.contains("needs 2 approvals from different operators, has 1 (alice)"), message);
        String runId = services("alice").history().list().get(0).runId();
        assertEquals(List.of("alice"), List.copyOf(services("alice").history().approve(runId, "self approval counts once")));
        assertEquals(List.of("alice", "bob"), List.copyOf(services("bob").history().approve(runId, "looked at the plan")));
        RecordingSink resumed = new RecordingSink();
        int code = services("alice").history().resume(ResumeRequest.of(runId).withExtraVars(List.of("marker=" + marker))
                .withAnswers(confirmed), resumed);
        assertEquals(ExitCodes.OK, code, resumed.all().toString());
        assertTrue(Files.exists(marker));
    }

    @Test
    void aResumeDoesNotAskAgainTheGatesThisRunAlreadyPassed() throws Exception {
        Files.writeString(tmp.resolve("checklists/hostready.yaml"), """
                apiVersion: opsctl/v1
                kind: Checklist
                metadata: {name: hostready, title: Before each host}
                scope: host
                items:
                  - id: host-drained
                    text: The host is drained
                """);
        Files.writeString(runbook, """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: gated}
                params:
                  marker: {type: string}
                gates:
                  before_run: [predeploy]
                  before_host: [hostready]
                steps:
                  - id: deploy
                    shell: "test -f {{ marker }}.go && touch {{ marker }}"
                """);
        RecordingSink first = new RecordingSink();
        int halted = services("alice").runs().run(request().withAnswers(
                new GateAnswers(List.of("window-approved", "host-drained"), Optional.empty())), first);
        assertEquals(2, first.of(RunEvent.GateEvaluated.class).stream().filter(RunEvent.GateEvaluated::passed).count(),
                first.all().toString());
        assertTrue(halted != ExitCodes.OK && halted != ExitCodes.GATE_FAILED, first.all().toString());
        Files.writeString(Path.of(marker + ".go"), "");
        String runId = services("alice").history().list().get(0).runId();

        RecordingSink resumed = new RecordingSink();
        int code = services("alice").history().resume(ResumeRequest.of(runId).withExtraVars(List.of("marker=" + marker)), resumed);

        assertEquals(ExitCodes.OK, code, resumed.all().toString());
        assertTrue(Files.exists(marker));
        assertEquals(List.of(), resumed.of(RunEvent.GateEvaluated.class), "no gate asked again");
        assertEquals(List.of("gate before_run 'predeploy' passed earlier in this run; not asked again",
                "gate before_host 'hostready' on host 'localhost' passed earlier in this run; not asked again"),
                resumed.of(RunEvent.Notice.class).stream().map(RunEvent.Notice::message).filter(m -> m.startsWith("gate ")).toList());
    }

    @Test
    void aResumeAsksAgainAGateThatDidNotPass() throws Exception {
        RecordingSink first = new RecordingSink();
        assertEquals(ExitCodes.GATE_FAILED, services("alice").runs().run(request(), first));
        String runId = services("alice").history().list().get(0).runId();
        RecordingSink resumed = new RecordingSink();
        int code = services("alice").history().resume(ResumeRequest.of(runId).withExtraVars(List.of("marker=" + marker)), resumed);
        assertEquals(ExitCodes.GATE_FAILED, code, resumed.all().toString());
        assertFalse(resumed.of(RunEvent.GateEvaluated.class).get(0).passed());
        assertFalse(Files.exists(marker), "no step ran");
    }
}
