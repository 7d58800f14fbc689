package dev.opsctl.app;

import static dev.opsctl.engine.fakes.TestRunbooks.hosts;
import static dev.opsctl.engine.fakes.TestRunbooks.n;
import static dev.opsctl.engine.fakes.TestRunbooks.serial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.StepResult;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.FakeAction;
import dev.opsctl.engine.fakes.TestSteps;
import dev.opsctl.engine.fakes.TestTriggers;
import dev.opsctl.engine.journal.HostState;
import dev.opsctl.engine.journal.JournalReader;
import dev.opsctl.engine.journal.RunState;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Trigger;
import dev.opsctl.runbook.model.TriggerAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trigger with {@code then: rollback-all}, cut at every record boundary and resumed: whether opsctl died
 * before the firing, between it and the rollbacks, or in the middle of rolling every host back, the resume
 * ends with every host that ran rolled back, each exactly once to the end, and no host going on past the
 * firing.
 */
class ResumeRollbackAllTest {
    @TempDir
    Path tmp;

    /**
     * Three hosts one at a time, one failure allowed (continue_on_failure): web1 fails 'b', web2 runs
     * whole, web3's health probe answers 500 after 'a', which rolls back every host that ran.
     */
    private static final class Book {
        final TestSteps a = TestSteps.ok("a").idempotent();
        final TestSteps b = TestSteps.step("b", (ctx, call) -> ctx.host().equals("web1") ? StepResult.failed("broken", Map.of())
                : StepResult.ok("", Map.of())).idempotent();
        final TestSteps undo;
        final Runbook rb;

        Book(boolean idempotentUndo) {
            TestSteps u = TestSteps.ok("undo");
            undo = idempotentUndo ? u.idempotent() : u;
            FakeAction.Script health = (ctx, call) -> StepResult.ok("", Map.of("status", ctx.host().equals("web3") ? 500L : 200L));
            Trigger unhealthy = TestTriggers.probe("unhealthy", health, "status >= 500", Optional.empty(), Duration.ofSeconds(10), 1,
                    TriggerAction.ROLLBACK_ALL);
            rb = TestTriggers.runbook(serial(List.of(n(1)), 1, true), List.of(unhealthy), List.of(a, b), List.of(undo));
        }

        List<String> forwardCalls() {
            List<String> all = new ArrayList<>(a.type().calls());
            all.addAll(b.type().calls());
            return all;
        }
    }

    private static Path journalOf(Path stateDir) throws Exception {
        try (Stream<Path> s = Files.list(stateDir.resolve("runs"))) {
            return s.findFirst().orElseThrow().resolve("journal.jsonl");
        }
    }

    private record Full(List<String> lines, String runId) {}

    private Full fullRun(boolean idempotentUndo) throws Exception {
        Book book = new Book(idempotentUndo);
        AppFixture fx = new AppFixture(tmp.resolve("full" + idempotentUndo), book.rb, hosts(3));
        assertEquals(ExitCodes.ROLLED_BACK, fx.services().runs().run(fx.request(), fx.events));
        assertEquals(List.of("web3:undo", "web2:undo", "web1:undo"), book.undo.type().calls(),
                "the full run rolls back the firing host, then every other host that ran, latest first");
        Path journal = journalOf(fx.stateDir);
        return new Full(Files.readAllLines(journal), journal.getParent().getFileName().toString());
    }

    private static Path cutJournal(AppFixture fx, Full full, int cut) throws Exception {
        Path dir = Files.createDirectories(fx.stateDir.resolve("runs").resolve(full.runId()));
        Files.write(dir.resolve("journal.jsonl"), full.lines().subList(0, cut), StandardCharsets.UTF_8);
        return dir.resolve("journal.jsonl");
    }

    @Test
    void aResumeFromEveryRecordBoundaryFinishesTheRollbackOfEveryHostThatRanAndOfNoHostTwice() throws Exception {
        Full full = fullRun(true);
        int firing = indexOf(full.lines(), "\"trigger-fired\"");
        for (int cut = 1; cut < full.lines().size(); cut++) {
            Book book = new Book(true);
            AppFixture fx = new AppFixture(tmp.resolve("cut" + cut), book.rb, hosts(3));
            Path journal = cutJournal(fx, full, cut);
            RunState before = JournalReader.read(journal);

            int code = fx.services().history().resume(ResumeRequest.of(full.runId()), fx.events);

            String where = "cut at record " + cut + " (" + full.lines().get(cut - 1) + ")";
            assertEquals(ExitCodes.ROLLED_BACK, code, where);
            RunState after = JournalReader.read(journal);
            List<String> expectedUndo = new ArrayList<>();
            for (String h : List.of("web3", "web2", "web1")) {
                assertEquals(Optional.of("succeeded"), after.hosts().get(h).rollback(), where + ": host " + h + " is rolled back");
                assertEquals(Optional.of("rolled_back"), after.hosts().get(h).status(), where + ": host " + h);
                HostState was = before.hosts().get(h);
                if (!was.rollback().filter("succeeded"::equals).isPresent() && !was.rollbackCompleted().contains("undo")) {
                    expectedUndo.add(h + ":undo");
                }
            }
            assertEquals(expectedUndo, book.undo.type().calls(), where + ": each host not yet rolled back is, latest first, and no "
                    + "rollback step runs twice");
            if (cut > firing) {
                assertEquals(List.of(), book.forwardCalls(), where + ": a host went on after rollback-all was decided");
            }
        }
    }

    @Test
    void aRollbackAllCutInTheMiddleOfANonIdempotentRollbackStepWaitsForRerunInterrupted() throws Exception {
        Full full = fullRun(false);
        // killed while web2's 'undo' ran, in the rollback of every host: web3 rolled back, web1 not yet
        int cut = indexOf(full.lines(), "\"step-started\"", "\"host\":\"web2\"", "\"step\":\"undo\"") + 1;
        Book book = new Book(false);
        AppFixture fx = new AppFixture(tmp.resolve("undo-cut"), book.rb, hosts(3));
        Path journal = cutJournal(fx, full, cut);

        OpsctlException refused = assertThrows(OpsctlException.class,
                () -> fx.services().history().resume(ResumeRequest.of(full.runId()), fx.events));
        assertTrue(refused.getMessage().contains("rollback step 'undo'") && refused.getMessage().contains("--rerun-interrupted"),
                refused.getMessage());
        assertEquals(List.of(), book.undo.type().calls(), "nothing ran");

        int code = fx.services().history().resume(ResumeRequest.of(full.runId()).withRerunInterrupted(true), fx.events);

        assertEquals(ExitCodes.ROLLED_BACK, code);
        assertEquals(List.of("web2:undo", "web1:undo"), book.undo.type().calls(), "web3's rollback had finished: not run again");
        RunState after = JournalReader.read(journal);
        for (HostState h : after.hosts().values()) {
            assertEquals(Optional.of("rolled_back"), h.status(), h.host());
        }
    }

    private static int indexOf(List<String> lines, String... parts) {
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (Stream.of(parts).allMatch(l::contains)) {
                return i;
            }
        }
        throw new AssertionError("no record with " + List.of(parts));
    }
}
