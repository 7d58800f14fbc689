package dev.opsctl.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalReportTest {
    @TempDir
    Path tmp;

    @Test
    void okRunHasItsHeaderStepsAttemptsAndNothingToDo() {
        RunReport r = Journals.report(Journals.OK);
        assertEquals("20261121-101500-0a1b", r.runId());
        assertEquals("rotate-logs", r.runbook());
        assertEquals("alice", r.operator());
        assertEquals("ok", r.status());
        assertEquals(Optional.of(0), r.exitCode());
        assertEquals("done", r.exitMeaning());
        assertEquals(Optional.empty(), r.inventory());
        assertEquals(Duration.ofMillis(5900), r.duration());
        HostReport h = r.hosts().get(0);
        assertEquals("ok", h.state());
        assertEquals(List.of("compress", "check-space", "cleanup-old"), r.stepIds());
        assertEquals(List.of("changed", "ok", "skipped"), h.steps().stream().map(StepReport::outcome).toList());
        StepReport retried = h.last("check-space").orElseThrow();
        assertEquals(2, retried.attempts());
        assertEquals(Instant.parse("2026-11-21T10:15:01.600Z"), retried.started(), "the first attempt's start");
        assertTrue(r.gates().isEmpty() && r.triggers().isEmpty() && r.rollbacks().isEmpty());
        assertEquals(List.of("nothing to do: every host finished ok"), NextSteps.of(r).stream().map(NextSteps.Advice::text).toList());
    }

    @Test
    void failedRunKeepsFailedAndUnreachableApartAndSaysHowToResume() {
        RunReport r = Journals.report(Journals.FAILED);
        assertEquals("failed", r.status());
        assertEquals(Optional.of(1), r.exitCode());
        assertEquals(List.of("ok", "failed", "unreachable"), r.hosts().stream().map(HostReport::state).toList());
        StepReport restart = r.host("web2").orElseThrow().last("restart").orElseThrow();
        assertEquals("failed", restart.outcome());
        assertEquals(1, restart.rc());
        assertTrue(restart.message().contains("<script>"), "the model keeps the text; renderers escape it");
        assertTrue(r.host("web3").orElseThrow().steps().isEmpty());
        assertEquals("********", r.params().get("api_token"));
        List<String> commands = NextSteps.of(r).stream().flatMap(a -> a.command().stream()).toList();
        assertEquals(List.of("opsctl runs show 20261123-030000-c0de --step restart", "opsctl runs resume 20261123-030000-c0de"),
                commands);
        assertTrue(NextSteps.of(r).stream().anyMatch(a -> a.text().contains("'web3' could not be reached")));
    }

    @Test
    void aHostHaltedWithACommandThatMayStillRunIsToldToBeCheckedThenRolledBackOrResumed() throws Exception {
        String id = "20261123-030000-c0de";
        String head = Files.readAllLines(Journals.path(Journals.FAILED)).get(0);
        Path journal = tmp.resolve("journal.jsonl");
        Files.write(journal, List.of(head,
                "{\"type\": \"host-started\", \"time\": \"2026-11-22T03:00:01Z\", \"runId\": \"" + id + "\", \"host\": \"web1\", \"target\": \"ssh\"}",
                "{\"type\": \"step-started\", \"time\": \"2026-11-22T03:00:01Z\", \"runId\": \"" + id + "\", \"host\": \"web1\", \"step\": \"two\", "
                        + "\"title\": \"\", \"attempt\": 1, \"summary\": \"two\"}",
                "{\"type\": \"step-finished\", \"time\": \"2026-11-22T03:00:04Z\", \"runId\": \"" + id + "\", \"host\": \"web1\", \"step\": \"two\", "
                        + "\"outcome\": \"connection_lost\", \"rc\": -1, \"elapsedMs\": 3000, \"message\": \"lost\", \"result\": {}, \"ignored\": false}",
                "{\"type\": \"host-finished\", \"time\": \"2026-11-22T03:00:04Z\", \"runId\": \"" + id + "\", \"host\": \"web1\", \"status\": \"halted\", "
                        + "\"message\": \"step 'two' lost its connection\"}",
                "{\"type\": \"run-finished\", \"time\": \"2026-11-22T03:00:05Z\", \"runId\": \"" + id + "\", \"status\": \"halted\", \"exitCode\": 4, "
                        + "\"elapsedMs\": 5000, \"hosts\": {\"web1\": \"halted\"}, \"message\": \"\"}"));
        RunReport r = JournalReport.read(journal);
        List<NextSteps.Advice> advice = NextSteps.of(r);
        assertTrue(advice.stream().anyMatch(a -> a.text().equals("host 'web1': step 'two' lost its connection mid-way: its command may "
                + "still be running, or its change may have been applied; check the host, then roll it back, or resume the run with --rerun-interrupted")
                && a.command().equals(Optional.of("opsctl runs rollback " + id + " --host web1"))), advice.toString());
    }

    @Test
    void rolledBackRunHasGatesTriggersRollbackStepsAndFinalStates() {
        RunReport r = Journals.report(Journals.ROLLED_BACK);
        assertEquals("rolled_back", r.status());
        assertEquals("a host was rolled back (a trigger fired, or 'opsctl runs rollback') and the rollback succeeded", r.exitMeaning());
        assertEquals(List.of("ok", "rolled_back", "not_started"), r.hosts().stream().map(HostReport::state).toList());
        HostReport d2 = r.host("docker2").orElseThrow();
        assertEquals(List.of("restore-config", "restart-docker", "wait-docker", "undrain"),
                d2.rollbackSteps().stream().map(StepReport::step).toList());
        assertEquals("failed", d2.last("monitor").orElseThrow().outcome());
        assertEquals("changed", d2.last("restart-docker").orElseThrow().outcome(), "the forward step, not the rollback's");
        assertFalse(d2.last("restart-docker").orElseThrow().rollback());
        assertEquals(3, d2.last("wait-docker").orElseThrow().attempts());
        assertFalse(r.stepIds().contains("restore-config"), "rollback-only steps are not columns of the forward steps");

        assertEquals(2, r.gates().size());
        GateReport before = r.gates().get(0);
        assertEquals("", before.host());
        assertEquals("predeploy", before.checklist());
        GateAnswer backup = before.answers().get(0);
        assertEquals("backup-recent", backup.item());
        assertEquals("alice", backup.operator());
        assertEquals("2026-11-22T02:01:01Z", backup.time());
        assertTrue(backup.passed());
        assertEquals("df /var/lib/docker: 41% used (max 80%)", before.answers().get(1).evidence());

        TriggerReport t = r.triggers().get(0);
        assertEquals("docker2", t.host());
        assertEquals("health-500", t.trigger());
        assertTrue(t.evidence().contains("-> 500"));
        assertEquals("status=500, latency_ms=38", t.valuesLine());
        assertFalse(t.dryRun());
        RollbackReport rb = r.rollbacks().get(0);
        assertEquals(Optional.of(true), rb.succeeded());
        assertEquals(Optional.of(Instant.parse("2026-11-22T02:06:54Z")), rb.finished());
        assertEquals(1, r.notices().size());
        assertTrue(NextSteps.of(r).stream().anyMatch(a -> a.command().equals(Optional.of(
                "opsctl run runbooks/userns-remap.yaml -i /home/alice/ops/inventory.ini -l docker2"))));
    }

    @Test
    void journalCutMidRecordIsReportedAsUnfinishedWithTheRunningStep() throws IOException {
        List<String> lines = Files.readAllLines(Journals.path(Journals.FAILED));
        String cut = String.join("\n", lines.subList(0, 9)) + "\n" + lines.get(9).substring(0, 30);
        Path j = Files.writeString(tmp.resolve("journal.jsonl"), cut);
        RunReport r = JournalReport.read(j);
        assertTrue(r.tornTail());
        assertEquals(RunReport.UNFINISHED, r.status());
        assertEquals(Optional.empty(), r.exitCode());
        HostReport web2 = r.host("web2").orElseThrow();
        assertEquals("interrupted", web2.state());
        assertEquals("the journal ends while step 'fetch' was running", web2.message());
        assertTrue(NextSteps.of(r).stream().anyMatch(a -> a.command().equals(Optional.of("opsctl runs resume 20261123-030000-c0de"))));
    }

    @Test
    void gateAnswersInTheChecklistRunnersOwnShapeAreRead() throws IOException {
        String head = Files.readAllLines(Journals.path(Journals.OK)).get(0);
        String gate = "{\"type\":\"gate-evaluated\",\"time\":\"2026-11-21T10:15:01Z\",\"phase\":\"after_host\","
                + "\"checklist\":\"post\",\"host\":\"localhost\",\"passed\":false,\"answers\":[{\"id\":\"port-open\","
                + "\"host\":\"localhost\",\"status\":\"failed\",\"operator\":\"bob\",\"at\":\"2026-11-21T10:15:00Z\","
                + "\"note\":\"\",\"evidence\":[{\"probe\":\"shell: ss -ltn\",\"outcome\":\"ok\",\"fields\":{\"rc\":\"1\"}}]}]}";
        Path j = Files.writeString(tmp.resolve("journal.jsonl"), head + "\n" + gate + "\n");
        GateAnswer a = JournalReport.read(j).gates().get(0).answers().get(0);
        assertEquals(new GateAnswer("port-open@localhost", "failed", "bob", "2026-11-21T10:15:00Z", "", "shell: ss -ltn ok rc=1"), a);
        assertFalse(a.passed());
    }

    @Test
    void fileThatIsNotAJournalIsRefused() throws IOException {
        Path j = Files.writeString(tmp.resolve("journal.jsonl"), "{\"type\":\"notice\",\"time\":\"2026-01-01T00:00:00Z\"}\n");
        IOException e = assertThrows(IOException.class, () -> JournalReport.read(j));
        assertTrue(e.getMessage().endsWith("not a run journal (no 'run-started' record)"), e.getMessage());
    }
}
