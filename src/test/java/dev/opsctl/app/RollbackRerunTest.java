package dev.opsctl.app;

import static dev.opsctl.engine.fakes.TestRunbooks.hosts;
import static dev.opsctl.engine.fakes.TestRunbooks.n;
import static dev.opsctl.engine.fakes.TestRunbooks.serial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.StepResult;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.TestSteps;
import dev.opsctl.engine.fakes.TestTriggers;
import dev.opsctl.engine.journal.HostState;
import dev.opsctl.engine.journal.JournalReader;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.TriggerAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runs rollback} after a rollback step was cut short: asked for, as {@code runs resume} asks for a main step. */
class RollbackRerunTest {
    @TempDir
    Path tmp;

    private static Runbook rolledBackOnTwo(TestSteps undo) {
        TestSteps two = TestSteps.step("two", (ctx, call) -> StepResult.failed("exit 1", Map.of()));
        return TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(TestTriggers.onStep("t", "two", TriggerAction.ROLLBACK)),
                List.of(TestSteps.ok("one"), two), List.of(undo));
    }

    /** The run's journal as if opsctl had been killed while the rollback step {@code stepId} ran. */
    private static String killedInRollbackStep(AppFixture fx, String stepId) throws Exception {
        assertEquals(ExitCodes.ROLLED_BACK, fx.services().runs().run(fx.request(), fx.events));
        Path journal;
        try (Stream<Path> s = Files.list(fx.stateDir.resolve("runs"))) {
            journal = s.findFirst().orElseThrow().resolve("journal.jsonl");
        }
        List<String> lines = Files.readAllLines(journal);
        int at = 0;
        while (!(lines.get(at).contains("\"step-started\"") && lines.get(at).contains("\"step\":\"" + stepId + "\""))) {
            at++;
        }
        Files.write(journal, lines.subList(0, at + 1));
        return journal.getParent().getFileName().toString();
    }

    @Test
    void aNonIdempotentRollbackStepCutShortIsNotRunAgainWithoutRerunInterrupted() throws Exception {
        TestSteps undo = TestSteps.ok("undo");
        AppFixture fx = new AppFixture(tmp, rolledBackOnTwo(undo), hosts(1));
        String runId = killedInRollbackStep(fx, "undo");
        HostState web1 = JournalReader.read(fx.stateDir.resolve("runs").resolve(runId).resolve("journal.jsonl")).hosts().get("web1");
        assertEquals(Optional.of("undo"), web1.rollbackCutShort());
        int calls = undo.type().calls().size();

        OpsctlException e = assertThrows(OpsctlException.class, () -> fx.services().history().rollback(RollbackRequest.of(runId),
                fx.events));
        assertTrue(e.getMessage().startsWith("host 'web1': rollback step 'undo' was interrupted in run " + runId
                + " and is not idempotent\n  fix: check the host, then 'opsctl runs rollback " + runId + " --host web1 --rerun-interrupted'"),
                e.getMessage());
        assertEquals(calls, undo.type().calls().size(), "nothing ran");

        assertEquals(ExitCodes.ROLLED_BACK, fx.services().history().rollback(RollbackRequest.of(runId).withRerunInterrupted(true),
                fx.events));
        assertEquals(calls + 1, undo.type().calls().size());
    }

    @Test
    void anOperatorIsAskedAndAnIdempotentRollbackStepIsRunAgainWithoutAsking() throws Exception {
        TestSteps undo = TestSteps.ok("undo");
        AppFixture fx = new AppFixture(tmp.resolve("ask"), rolledBackOnTwo(undo), hosts(1));
        String runId = killedInRollbackStep(fx, "undo");
        List<String> asked = new ArrayList<>();
        fx.prompter = q -> asked.add(q);
        assertEquals(ExitCodes.ROLLED_BACK, fx.services().history().rollback(RollbackRequest.of(runId), fx.events));
        assertEquals(List.of("rollback step 'undo' on host 'web1' was interrupted in run " + runId + " and may be half done; "
                + "run the rollback again?"), asked);

        TestSteps idempotentUndo = TestSteps.ok("undo").idempotent();
        AppFixture fx2 = new AppFixture(tmp.resolve("idem"), rolledBackOnTwo(idempotentUndo), hosts(1));
        String run2 = killedInRollbackStep(fx2, "undo");
        assertEquals(ExitCodes.ROLLED_BACK, fx2.services().history().rollback(RollbackRequest.of(run2), fx2.events));
    }
}
