package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.journal.JournalReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunsViewTest {
    @TempDir
    Path tmp;

    @Test
    void aHostKilledInARollbackStepSaysItWasARollbackStep() throws Exception {
        Path journal = Files.writeString(tmp.resolve("journal.jsonl"), String.join("\n",
                "{\"type\":\"run-started\",\"time\":\"2026-11-22T03:00:00Z\",\"runId\":\"20261122-030000-abcd\",\"runbook\":\"t\","
                        + "\"runbookFile\":\"/r/t.yaml\",\"digest\":\"d\",\"params\":{},\"inventory\":\"\",\"hosts\":[{\"name\":\"h1\","
                        + "\"address\":\"a\",\"port\":0,\"user\":\"\",\"connection\":\"local\"}],\"limit\":[],\"options\":{},"
                        + "\"operator\":\"alice\",\"controller\":\"c\",\"pid\":1,\"started\":\"2026-11-22T03:00:00Z\"}",
                "{\"type\":\"step-finished\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"two\",\"outcome\":\"failed\",\"rc\":1}",
                "{\"type\":\"rollback-started\",\"time\":\"t\",\"host\":\"h1\",\"reason\":\"r\"}",
                "{\"type\":\"step-started\",\"time\":\"t\",\"host\":\"h1\",\"step\":\"undo\",\"attempt\":1}", ""));
        List<String> shown = RunsView.show(JournalReader.read(journal), ZoneOffset.UTC);
        assertTrue(shown.contains("host h1: not finished (interrupted in rollback step 'undo')"), String.join("\n", shown));
    }
}
