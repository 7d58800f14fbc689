package dev.opsctl.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalReaderTest {
    @TempDir
    Path tmp;

    private static final String START = "{\"type\":\"run-started\",\"time\":\"2026-11-22T03:00:00Z\",\"runId\":\"20261122-030000-abcd\","
            + "\"runbook\":\"t\",\"runbookFile\":\"/r/t.yaml\",\"digest\":\"d\",\"params\":{},\"inventory\":\"\",\"hosts\":[{\"name\":\"h1\","
            + "\"address\":\"a\",\"port\":0,\"user\":\"\",\"connection\":\"local\"}],\"limit\":[],\"options\":{},\"operator\":\"alice\","
            + "\"controller\":\"c\",\"pid\":1,\"started\":\"2026-11-22T03:00:00Z\"}";

    private Path write(String... lines) throws IOException {
        Path f = tmp.resolve("journal.jsonl");
        Files.writeString(f, String.join("\n", lines));
        return f;
    }

    @Test
    void aStepStartedButNeverFinishedIsTheInterruptedStep() throws Exception {
        RunState s = JournalReader.read(write(START,
                "{\"type\":\"step-started\",\"time\":\"2026-11-22T03:00:01Z\",\"host\":\"h1\",\"step\":\"a\",\"attempt\":1}",
                "{\"type\":\"step-finished\",\"time\":\"2026-11-22T03:00:02Z\",\"host\":\"h1\",\"step\":\"a\",\"outcome\":\"ok\",\"rc\":0}",
                "{\"type\":\"step-started\",\"time\":\"2026-11-22T03:00:03Z\",\"host\":\"h1\",\"step\":\"b\",\"attempt\":1}", ""));
        HostState h = s.hosts().get("h1");
        assertTrue(h.completed("a"));
        assertEquals("b", h.interruptedStep().orElseThrow());
        assertTrue(s.status().isEmpty());
        assertEquals("aborted", s.displayStatus(false));
    }

    @Test
    void aTornLastLineIsToleratedButADamagedMiddleLineIsNot() throws Exception {
        RunState s = JournalReader.read(write(START, "{\"type\":\"step-sta"));
        assertTrue(s.tornTail());
        IOException e = assertThrows(IOException.class, () -> JournalReader.read(write(START, "{\"type\":", "{}")));
        assertTrue(e.getMessage().contains(":2: damaged journal record"), e.getMessage());
    }

    @Test
    void aLastLineTornInsideAMultiByteCharacterIsToleratedToo() throws Exception {
        String upToOutput = START + "\n{\"type\":\"step-finished\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"a\",\"outcome\":\"ok\","
                + "\"result\":{\"stdout\":\"";
        byte[] whole = (upToOutput + "\u25cf docker.service\"}}\n").getBytes(StandardCharsets.UTF_8);
        // cut after the first of the three bytes of U+25CF, as systemctl status prints it
        int cut = upToOutput.getBytes(StandardCharsets.UTF_8).length + 1;
        Path f = tmp.resolve("journal.jsonl");
        Files.write(f, Arrays.copyOf(whole, cut));
        RunState s = JournalReader.read(f);
        assertTrue(s.tornTail());
        assertTrue(s.hosts().get("h1").steps().isEmpty(), "the torn record is dropped");
    }

    @Test
    void aFileWithoutRunStartedIsNotAJournal() {
        assertThrows(IOException.class, () -> JournalReader.read(write("{\"type\":\"host-started\"}")));
    }

    @Test
    void ignoredFailuresCountAsCompletedAndFailuresDoNot() throws Exception {
        RunState s = JournalReader.read(write(START,
                "{\"type\":\"step-finished\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"a\",\"outcome\":\"failed\",\"ignored\":true}",
                "{\"type\":\"step-finished\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"b\",\"outcome\":\"failed\",\"ignored\":false}"));
        assertTrue(s.hosts().get("h1").completed("a"));
        assertEquals(List.of("a", "b"), List.copyOf(s.hosts().get("h1").steps().keySet()));
        assertTrue(!s.hosts().get("h1").completed("b"));
    }

    @Test
    void aLostConnectionJournaledAsFailedBeforeItHadAnOutcomeOfItsOwnIsReadAsConnectionLost() throws Exception {
        String lost = "host 'h1': the ssh connection to '10.0.0.1:22' was lost while running 'sh two.sh': connection reset; "
                + "the command may or may not have completed on the host";
        RunState s = JournalReader.read(write(START,
                "{\"type\":\"step-finished\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"a\",\"outcome\":\"failed\",\"rc\":-1,"
                        + "\"message\":\"" + lost + "\"}",
                "{\"type\":\"step-finished\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"b\",\"outcome\":\"failed\",\"rc\":1,"
                        + "\"message\":\"exit 1 from 'grep -q lost while running /etc/x'\"}",
                "{\"type\":\"step-finished\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"c\",\"outcome\":\"unreachable\",\"rc\":-1,"
                        + "\"message\":\"host 'h1' is unreachable: connection refused\"}", ""));
        HostState h = s.hosts().get("h1");
        assertEquals("connection_lost", h.steps().get("a").outcome());
        assertEquals("failed", h.steps().get("b").outcome());
        assertEquals("unreachable", h.steps().get("c").outcome());
    }

    @Test
    void aRollbackStepKilledOrCutShortIsTheRollbacksCutShortStepAndASucceededRollbackHasNone() throws Exception {
        String started = "{\"type\":\"rollback-started\",\"time\":\"t\",\"host\":\"h1\",\"reason\":\"r\"}";
        String undoStarted = "{\"type\":\"step-started\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"undo\",\"attempt\":1}";
        HostState killed = JournalReader.read(write(START, started, undoStarted, "")).hosts().get("h1");
        assertEquals(Optional.of("undo"), killed.rollbackCutShort());
        assertEquals(Optional.of("undo"), killed.interruptedStep());

        String lost = "{\"type\":\"step-finished\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"undo\",\"outcome\":\"connection_lost\",\"rc\":-1}";
        String failed = "{\"type\":\"rollback-finished\",\"time\":\"t\",\"host\":\"h1\",\"succeeded\":false,\"message\":\"m\"}";
        HostState cut = JournalReader.read(write(START, started, undoStarted, lost, failed, "")).hosts().get("h1");
        assertEquals(Optional.of("undo"), cut.rollbackCutShort());
        assertEquals(Optional.of("failed"), cut.rollback());

        String ok = "{\"type\":\"step-finished\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"undo\",\"outcome\":\"changed\",\"rc\":0}";
        String succeeded = "{\"type\":\"rollback-finished\",\"time\":\"t\",\"host\":\"h1\",\"succeeded\":true,\"message\":\"m\"}";
        HostState again = JournalReader.read(write(START, started, undoStarted, lost, failed, started, undoStarted, ok, succeeded, ""))
                .hosts().get("h1");
        assertEquals(Optional.empty(), again.rollbackCutShort());

        String mainStep = "{\"type\":\"step-started\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"two\",\"attempt\":1}";
        assertEquals(Optional.empty(), JournalReader.read(write(START, mainStep, "")).hosts().get("h1").rollbackCutShort(),
                "a main step is not a rollback step");
    }

    @Test
    void aTriggerThatFiredAfterAStepEndedWholeAndWasNeverActedOnIsPending() throws Exception {
        String twoStarted = "{\"type\":\"step-started\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"two\",\"attempt\":1}";
        String twoOk = "{\"type\":\"step-finished\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"two\",\"outcome\":\"changed\",\"rc\":0}";
        String twoLost = "{\"type\":\"step-finished\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"two\",\"outcome\":\"connection_lost\",\"rc\":-1}";
        String fired = "{\"type\":\"trigger-fired\",\"time\":\"t\",\"host\":\"h1\",\"trigger\":\"health\",\"action\":\"rollback\","
                + "\"evidence\":\"status 500\",\"values\":{},\"dryRun\":false}";
        String dryRun = fired.replace("\"dryRun\":false", "\"dryRun\":true");
        String halted = "{\"type\":\"run-halted\",\"time\":\"t\",\"reason\":\"r\"}";
        String rollbackStarted = "{\"type\":\"rollback-started\",\"time\":\"t\",\"host\":\"h1\",\"reason\":\"r\"}";
        String threeStarted = twoStarted.replace("\"two\"", "\"three\"");
        String hostFinished = "{\"type\":\"host-finished\",\"time\":\"t\",\"host\":\"h1\",\"status\":\"halted\",\"message\":\"m\"}";

        assertEquals(Optional.of(new PendingTrigger("health", "rollback", "status 500")),
                pending(START, twoStarted, twoOk, fired, halted, ""), "killed between the firing and the rollback");
        assertEquals(Optional.empty(), pending(START, twoStarted, twoOk, dryRun, ""), "a dry run only reports");
        assertEquals(Optional.empty(), pending(START, twoStarted, fired, ""), "fired during the step: judged again when it ends");
        assertEquals(Optional.empty(), pending(START, twoStarted, twoLost, fired, ""),
                "after a step cut short the trigger is only reported: its command may still run");
        assertEquals(Optional.empty(), pending(START, twoStarted, twoOk, fired, halted, rollbackStarted, ""), "the rollback started");
        assertEquals(Optional.empty(), pending(START, twoStarted, twoOk, fired, threeStarted, ""), "the host went on (continue)");
        assertEquals(Optional.empty(), pending(START, twoStarted, twoOk, fired, hostFinished, ""), "the host ended (halt)");
    }

    @Test
    void aHostWhoseRollbackFinishedIsRolledBackEvenWhenItsHostFinishedWasNeverJournaled() throws Exception {
        String started = "{\"type\":\"rollback-started\",\"time\":\"t\",\"host\":\"h1\",\"reason\":\"r\"}";
        String ok = "{\"type\":\"rollback-finished\",\"time\":\"t\",\"host\":\"h1\",\"succeeded\":true,\"message\":\"m\"}";
        String failed = ok.replace("true", "false");
        String interrupted = "{\"type\":\"host-finished\",\"time\":\"t\",\"host\":\"h1\",\"status\":\"interrupted\",\"message\":\"m\"}";

        assertEquals(Optional.of("rolled_back"), JournalReader.read(write(START, started, ok, "")).hosts().get("h1").status(),
                "killed after rollback-finished: 'runs show' said 'not finished' for good");
        assertEquals(Optional.of("rollback_failed"), JournalReader.read(write(START, started, failed, "")).hosts().get("h1").status());
        assertEquals(Optional.of("interrupted"), JournalReader.read(write(START, started, failed, interrupted, "")).hosts().get("h1")
                .status(), "host-finished says more");
    }

    @Test
    void aRollbackAllIsOwedOnceItsFiringOrARollbackForItIsJournaled() throws Exception {
        String twoStarted = "{\"type\":\"step-started\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"two\",\"attempt\":1}";
        String twoOk = "{\"type\":\"step-finished\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"two\",\"outcome\":\"ok\",\"rc\":0}";
        String twoLost = twoOk.replace("\"ok\"", "\"connection_lost\"");
        String fired = "{\"type\":\"trigger-fired\",\"time\":\"t\",\"host\":\"h1\",\"trigger\":\"health\",\"action\":\"rollback-all\","
                + "\"evidence\":\"status 500\",\"values\":{},\"dryRun\":false}";
        String ask = fired.replace("rollback-all", "ask");
        String forAll = "{\"type\":\"rollback-started\",\"time\":\"t\",\"host\":\"h1\",\"reason\":\"rollback-all: trigger 'health' "
                + "fired on host 'h1': status 500\"}";
        String halted = "{\"type\":\"host-finished\",\"time\":\"t\",\"host\":\"h1\",\"status\":\"halted\",\"message\":\"m\"}";
        Optional<String> owed = Optional.of("trigger 'health' fired on host 'h1': status 500");

        assertEquals(owed, JournalReader.read(write(START, twoStarted, twoOk, fired, "")).rollbackAll());
        assertEquals(Optional.empty(), JournalReader.read(write(START, twoStarted, twoOk, fired.replace("\"dryRun\":false",
                "\"dryRun\":true"), "")).rollbackAll(), "a dry run only reports");
        assertEquals(Optional.empty(), JournalReader.read(write(START, twoStarted, fired, "")).rollbackAll(), "fired during the step");
        assertEquals(owed, JournalReader.read(write(START, twoStarted, twoOk, ask, forAll, "")).rollbackAll(),
                "an ask that ended in rollback-all (on_timeout), known by its rollback");
        RunState lost = JournalReader.read(write(START, twoStarted, twoLost, fired, halted, ""));
        assertEquals(owed, lost.rollbackAll(), "after a step cut short the other hosts are still rolled back");
        assertTrue(lost.hosts().get("h1").leftRunning(), "but not this one: its command may still run");
        assertEquals(List.of("h1"), lost.finishOrder());
        assertEquals(false, JournalReader.read(write(START, twoStarted, twoOk, halted, "")).hosts().get("h1").leftRunning());
    }

    private Optional<PendingTrigger> pending(String... lines) throws IOException {
        return JournalReader.read(write(lines)).hosts().get("h1").pendingTrigger();
    }

    @Test
    void aRecordFromBeforeIncompleteExistedIsReadAsCutOrMaskedWhereItsTextSaysSo() throws Exception {
        String old = "{\"type\":\"step-finished\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"save\",\"outcome\":\"ok\",\"rc\":0,"
                + "\"result\":{\"stdout\":\"apiVersion: v1\\n[output truncated: 9000 more characters]\",\"stdout_lines\":[\"apiVersion: v1\"],"
                + "\"stderr\":\"\",\"object\":{\"url\":\"https://ops:********@db/\",\"name\":\"cm1\"}}}";
        String now = old.replace("\"step\":\"save\"", "\"step\":\"now\"").replace("}}}", "}},\"incomplete\":{}}");
        RunState s = JournalReader.read(write(START, old, now, ""));

        assertEquals(java.util.Map.of("cut", List.of(List.of("stdout")), "masked", List.of(List.of("object", "url"))),
                s.hosts().get("h1").steps().get("save").incomplete());
        assertEquals(java.util.Map.of(), s.hosts().get("h1").steps().get("now").incomplete(), "a record that has the field is taken at its word");
    }
}
