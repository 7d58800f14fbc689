package dev.opsctl.app;

import static dev.opsctl.engine.fakes.TestRunbooks.hosts;
import static dev.opsctl.engine.fakes.TestRunbooks.n;
import static dev.opsctl.engine.fakes.TestRunbooks.serial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.StepResult;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.TestRunbooks;
import dev.opsctl.engine.fakes.FakeAction;
import dev.opsctl.engine.fakes.TestSteps;
import dev.opsctl.engine.fakes.TestTriggers;
import dev.opsctl.engine.journal.HostState;
import dev.opsctl.engine.journal.JournalReader;
import dev.opsctl.engine.journal.RunLock;
import dev.opsctl.engine.journal.RunState;
import dev.opsctl.engine.journal.StepRecord;
import dev.opsctl.param.Param;
import dev.opsctl.param.ParamType;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Trigger;
import dev.opsctl.runbook.model.TriggerAction;
import dev.opsctl.source.SourcePos;
import dev.opsctl.target.TargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STYLE.md "Resume tests": cut the journal at every record boundary, resume, assert the same final state. */
class ResumeTest {
    @TempDir
    Path tmp;

    /** A runbook whose steps record their calls; d reads what a registered earlier; b fails but is ignored. */
    private static final class Book {
        final TestSteps a = TestSteps.step("a", (ctx, call) -> StepResult.changed("", Map.of("version", "v-" + ctx.host())))
                .register("built").idempotent();
        final TestSteps b = TestSteps.step("b", (ctx, call) -> StepResult.failed("meh", Map.of())).ignoreErrors().idempotent();
        final TestSteps c = TestSteps.ok("c").when("host.name == 'nobody'").idempotent();
        final TestSteps d = TestSteps.step("d", (ctx, call) -> StepResult.ok(ctx.render("{{ built.version }}"),
                Map.of("seen", ctx.render("{{ steps.a.version }}")))).idempotent();
        final Runbook rb = TestRunbooks.runbook(serial(List.of(n(1)), 0, false), a, b, c, d);

        List<String> calls() {
            List<String> all = new ArrayList<>();
            for (TestSteps s : List.of(a, b, c, d)) {
                all.addAll(s.type().calls());
            }
            return all;
        }
    }

    private static Path journalOf(Path stateDir) throws Exception {
        try (Stream<Path> s = Files.list(stateDir.resolve("runs"))) {
            return s.findFirst().orElseThrow().resolve("journal.jsonl");
        }
    }

    /** Per host: status and each step's outcome, message and registered data. */
    private static Map<String, String> summary(RunState st) {
        Map<String, String> m = new LinkedHashMap<>();
        for (HostState h : st.hosts().values()) {
            StringBuilder b = new StringBuilder(h.status().orElse("?"));
            for (StepRecord r : h.steps().values()) {
                b.append(' ').append(r.step()).append('=').append(r.outcome()).append('/').append(r.message())
                        .append(r.result().getOrDefault("seen", ""));
            }
            m.put(h.host(), b.toString());
        }
        return m;
    }

    @Test
    void resumingFromEveryRecordBoundaryEndsInTheSameStateAndNeverRerunsACompletedStep() throws Exception {
        Book full = new Book();
        AppFixture first = new AppFixture(tmp.resolve("full"), full.rb, hosts(3));
        assertEquals(0, first.services().runs().run(first.request(), first.events));
        Path journal = journalOf(first.stateDir);
        List<String> lines = Files.readAllLines(journal);
        Map<String, String> expected = summary(JournalReader.read(journal));
        assertEquals("ok a=changed/ b=failed/meh c=skipped/skipped: 'when' is false: host.name == 'nobody' d=ok/v-web1v-web1",
                expected.get("web1"));
        String runId = journal.getParent().getFileName().toString();

        for (int cut = 1; cut < lines.size(); cut++) {
            Book book = new Book();
            AppFixture fx = new AppFixture(tmp.resolve("cut" + cut), book.rb, hosts(3));
            Path dir = Files.createDirectories(fx.stateDir.resolve("runs").resolve(runId));
            Files.write(dir.resolve("journal.jsonl"), lines.subList(0, cut), StandardCharsets.UTF_8);
            RunState before = JournalReader.read(dir.resolve("journal.jsonl"));

            int code = fx.services().history().resume(ResumeRequest.of(runId), fx.events);

            assertEquals(0, code, "cut at record " + cut);
            RunState after = JournalReader.read(dir.resolve("journal.jsonl"));
            assertEquals(expected, summary(after), "cut at record " + cut);
            assertEquals("ok", after.status().orElseThrow());
            for (String call : book.calls()) {
                String[] hs = call.split(":");
                HostState h = before.hosts().get(hs[0]);
                assertFalse(h.finishedOk() || h.completed(hs[1]), "cut " + cut + ": completed step reran: " + call);
            }
        }
    }

    /**
     * A probe trigger fires after step 'a' (the app is down) and rolls the host back. Cut the journal at
     * every record boundary and resume with the app still down: whether the dead run had judged 'a', had
     * journaled the firing, or had started the rollback, 'b' never runs and the host ends rolled back
     * (or, from inside the rollback, left for 'runs rollback'), never gone on past the trigger.
     */
    @Test
    void aResumeFromEveryRecordBoundaryNeverGoesOnPastATriggerThatFiresOrHadFired() throws Exception {
        List<String> lines = null;
        String runId = null;
        for (int cut = 0; lines == null || cut < lines.size(); cut++) {
            TestSteps a = TestSteps.ok("a").idempotent();
            TestSteps b = TestSteps.ok("b").idempotent();
            TestSteps undo = TestSteps.ok("undo");
            FakeAction.Script down = (ctx, call) -> StepResult.ok("", Map.of("status", 500L));
            Trigger unhealthy = TestTriggers.probe("unhealthy", down, "status >= 500", Optional.empty(), Duration.ofSeconds(10), 1,
                    TriggerAction.ROLLBACK);
            Runbook rb = TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(unhealthy), List.of(a, b), List.of(undo));
            AppFixture fx = new AppFixture(tmp.resolve("trigger-cut" + cut), rb, hosts(1));
            if (lines == null) {
                assertEquals(ExitCodes.ROLLED_BACK, fx.services().runs().run(fx.request(), fx.events));
                Path journal = journalOf(fx.stateDir);
                lines = Files.readAllLines(journal);
                runId = journal.getParent().getFileName().toString();
                assertEquals(List.of(), b.type().calls(), "the full run never runs 'b'");
                continue;
            }
            Path dir = Files.createDirectories(fx.stateDir.resolve("runs").resolve(runId));
            Files.write(dir.resolve("journal.jsonl"), lines.subList(0, cut), StandardCharsets.UTF_8);
            List<String> kept = lines.subList(0, cut);
            boolean inRollback = kept.stream().anyMatch(l -> l.contains("\"rollback-started\""))
                    && kept.stream().noneMatch(l -> l.contains("\"rollback-finished\""));

            int code = fx.services().history().resume(ResumeRequest.of(runId), fx.events);

            String where = "cut at record " + cut + " (" + lines.get(cut - 1) + ")";
            assertEquals(List.of(), b.type().calls(), where + ": the host went on past the trigger");
            assertEquals(inRollback ? ExitCodes.ROLLBACK_FAILED : ExitCodes.ROLLED_BACK, code, where);
        }
    }

    @Test
    void aTornLastLineIsIgnoredAndCutOffBeforeAppending() throws Exception {
        Book full = new Book();
        AppFixture first = new AppFixture(tmp.resolve("full"), full.rb, hosts(2));
        first.services().runs().run(first.request(), first.events);
        Path journal = journalOf(first.stateDir);
        List<String> lines = Files.readAllLines(journal);
        String torn = String.join("\n", lines.subList(0, 5)) + "\n" + lines.get(5).substring(0, lines.get(5).length() / 2);
        Files.writeString(journal, torn);
        RunState st = JournalReader.read(journal);
        assertTrue(st.tornTail());
        Book book = new Book();
        first.runbook.set(book.rb);
        assertEquals(0, first.services().history().resume(ResumeRequest.of(st.runId()), first.events));
        RunState after = JournalReader.read(journal);
        assertFalse(after.tornTail());
        assertEquals("ok", after.status().orElseThrow());
    }

    private Path interruptedJournal(AppFixture fx, String stepId) throws Exception {
        fx.services().runs().run(fx.request(), fx.events);
        Path journal = journalOf(fx.stateDir);
        List<String> lines = Files.readAllLines(journal);
        int at = 0;
        while (!(lines.get(at).contains("\"step-started\"") && lines.get(at).contains("\"step\":\"" + stepId + "\""))) {
            at++;
        }
        Files.write(journal, lines.subList(0, at + 1));
        return journal;
    }

    @Test
    void aNonIdempotentInterruptedStepFailsClosedWithoutAPrompter() throws Exception {
        TestSteps restart = TestSteps.ok("restart");
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), TestSteps.ok("a"), restart),
                hosts(1));
        Path journal = interruptedJournal(fx, "restart");
        String runId = journal.getParent().getFileName().toString();
        int callsBefore = restart.type().calls().size();

        OpsctlException e = assertThrows(OpsctlException.class, () -> fx.services().history().resume(ResumeRequest.of(runId), fx.events));
        assertEquals(ExitCodes.FAILED, e.exitCode());
        assertTrue(e.getMessage().startsWith("host 'web1': step 'restart' was interrupted in run " + runId + " and is not idempotent"),
                e.getMessage());
        assertTrue(e.getMessage().contains("'opsctl runs resume " + runId + " --rerun-interrupted'"), e.getMessage());
        assertEquals(callsBefore, restart.type().calls().size(), "nothing ran");

        assertEquals(0, fx.services().history().resume(ResumeRequest.of(runId).withRerunInterrupted(true), fx.events));
        assertEquals(callsBefore + 1, restart.type().calls().size());
    }

    @Test
    void aNonIdempotentStepThatTimedOutOrLostItsConnectionIsNotRerunWithoutBeingAsked() throws Exception {
        for (String cut : List.of("timed out", "lost")) {
            Path dir = Files.createDirectories(tmp.resolve(cut.replace(' ', '-')));
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            TestSteps restart = TestSteps.step("restart", (ctx, call) -> {
                if (calls.incrementAndGet() > 1) {
                    return StepResult.ok("", Map.of());
                }
                if (cut.equals("lost")) {
                    throw new TargetException(TargetException.Kind.CONNECTION_LOST, ctx.host(), "the ssh connection was lost")
                            .withLostCommand(TargetException.LostCommand.STOPPED);
                }
                return new StepResult(StepResult.Outcome.TIMED_OUT, -1, "", "", "cut short", Map.of(), java.time.Duration.ZERO);
            });
            AppFixture fx = new AppFixture(dir, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), TestSteps.ok("a"), restart), hosts(1));
            assertEquals(ExitCodes.FAILED, fx.services().runs().run(fx.request(), fx.events));
            String runId = journalOf(fx.stateDir).getParent().getFileName().toString();

            OpsctlException e = assertThrows(OpsctlException.class,
                    () -> fx.services().history().resume(ResumeRequest.of(runId), fx.events), cut);
            String how = cut.equals("timed out") ? "timed out (its command was killed)"
                    : "lost its connection while its command ran (it may have run in part, or still be running)";
            assertTrue(e.getMessage().startsWith("host 'web1': step 'restart' " + how + " in run " + runId + " and is not idempotent"),
                    e.getMessage());
            assertEquals(1, calls.get(), "nothing ran again");
            assertEquals(0, fx.services().history().resume(ResumeRequest.of(runId).withRerunInterrupted(true), fx.events));
            assertEquals(2, calls.get());
        }
    }

    @Test
    void aStepThatCouldNotReachItsHostIsRerunWithoutAskingSinceNothingRanOnIt() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        TestSteps restart = TestSteps.step("restart", (ctx, call) -> {
            if (calls.incrementAndGet() == 1) {
                throw TargetException.unreachable(ctx.host(), "connection refused", null);
            }
            return StepResult.ok("", Map.of());
        });
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), TestSteps.ok("a"), restart), hosts(1));
        assertEquals(ExitCodes.FAILED, fx.services().runs().run(fx.request(), fx.events));
        String runId = journalOf(fx.stateDir).getParent().getFileName().toString();

        assertEquals(0, fx.services().history().resume(ResumeRequest.of(runId), fx.events));
        assertEquals(2, calls.get());
    }

    @Test
    void anOperatorMayConfirmRerunningAnInterruptedStep() throws Exception {
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), TestSteps.ok("restart")), hosts(1));
        Path journal = interruptedJournal(fx, "restart");
        List<String> asked = new ArrayList<>();
        fx.prompter = q -> asked.add(q);
        assertEquals(0, fx.services().history().resume(ResumeRequest.of(journal.getParent().getFileName().toString()), fx.events));
        assertEquals(1, asked.size());
        assertTrue(asked.get(0).contains("step 'restart' on host 'web1' was interrupted"), asked.get(0));
    }

    @Test
    void aResumePreparedWhileAnotherResumeOfTheRunRanIsRefusedUnderTheLockAndRunsNothing() throws Exception {
        TestSteps restart = TestSteps.ok("restart");
        TestSteps after = TestSteps.ok("after");
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), restart, after), hosts(1));
        Path journal = interruptedJournal(fx, "restart");
        String runId = journal.getParent().getFileName().toString();
        int before = restart.type().calls().size();
        int afterBefore = after.type().calls().size();
        // while this operator is asked "run it again?", a colleague resumes the same run to the end
        fx.prompter = q -> {
            try {
                return fx.services().history().resume(ResumeRequest.of(runId).withRerunInterrupted(true), fx.events) == 0;
            } catch (OpsctlException ex) {
                throw new AssertionError(ex);
            }
        };

        OpsctlException e = assertThrows(OpsctlException.class, () -> fx.services().history().resume(ResumeRequest.of(runId), fx.events));
        assertEquals(ExitCodes.FAILED, e.exitCode());
        assertTrue(e.getMessage().startsWith("run " + runId + " changed while this resume was being prepared"), e.getMessage());
        assertEquals(before + 1, restart.type().calls().size(), "only the colleague's resume ran the step again");
        assertEquals(afterBefore + 1, after.type().calls().size());
        assertEquals(Optional.of("ok"), JournalReader.read(journal).status());
    }

    @Test
    void aResumeMustBeGivenTheSecretsAgain() throws Exception {
        Param token = new Param("token", ParamType.SECRET, Optional.empty(), "", List.of(), Optional.of("OPS_TOKEN"), SourcePos.NONE);
        TestSteps use = TestSteps.step("use", (ctx, call) -> StepResult.ok(ctx.render("{{ token }}").length() + " chars", Map.of()))
                .idempotent();
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), List.of(token), use), hosts(1));
        fx.services().runs().run(fx.request().withExtraVars(List.of("token=abcd1234")), fx.events);
        Path journal = journalOf(fx.stateDir);
        List<String> lines = Files.readAllLines(journal);
        Files.write(journal, lines.subList(0, 3));
        String runId = journal.getParent().getFileName().toString();

        OpsctlException e = assertThrows(OpsctlException.class, () -> fx.services().history().resume(ResumeRequest.of(runId), fx.events));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertEquals("param 'token' is a secret and the journal does not keep it: pass it again with -e token=VALUE or set $OPS_TOKEN",
                e.getMessage());
        assertEquals(0, fx.services().history().resume(ResumeRequest.of(runId).withExtraVars(List.of("token=abcd1234")), fx.events));
        assertTrue(Files.readString(journal).contains("8 chars"));
        assertFalse(Files.readString(journal).contains("abcd1234"));
    }

    @Test
    void aResumeComparesAGivenParamWithTheJournaledOneAsItsTypeNotAsText() throws Exception {
        Param wait = new Param("wait", ParamType.DURATION, Optional.empty(), "", List.of(), Optional.empty(), SourcePos.NONE);
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), List.of(wait), TestSteps.ok("a")),
                hosts(1));
        fx.services().runs().run(fx.request().withExtraVars(List.of("wait=90s")), fx.events);
        Path journal = journalOf(fx.stateDir);
        Files.write(journal, Files.readAllLines(journal).subList(0, 3));
        String runId = journal.getParent().getFileName().toString();

        OpsctlException e = assertThrows(OpsctlException.class,
                () -> fx.services().history().resume(ResumeRequest.of(runId).withExtraVars(List.of("wait=2m")), fx.events));
        assertEquals("param 'wait' was '1m30s' in run " + runId + "; a resume cannot change it (start a new run instead)", e.getMessage());
        assertEquals(0, fx.services().history().resume(ResumeRequest.of(runId).withExtraVars(List.of("wait=90s")), fx.events));
    }

    @Test
    void aPlainParamThatHeldASecretsValueMustBeGivenAgainAndIsCheckedMaskedAsTheJournalMaskedIt() throws Exception {
        Param token = new Param("token", ParamType.SECRET, Optional.empty(), "", List.of(), Optional.empty(), SourcePos.NONE);
        Param url = new Param("url", ParamType.STRING, Optional.empty(), "", List.of(), Optional.empty(), SourcePos.NONE);
        TestSteps use = TestSteps.step("use", (ctx, call) -> StepResult.ok("", Map.of("long", ctx.render("{{ url }}").length())))
                .idempotent();
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), List.of(token, url), use), hosts(1));
        List<String> vars = List.of("token=abcd123456789", "url=https://ops:abcd123456789@db.internal/");
        fx.services().runs().run(fx.request().withExtraVars(vars), fx.events);
        Path journal = journalOf(fx.stateDir);
        Files.write(journal, Files.readAllLines(journal).subList(0, 3));
        String runId = journal.getParent().getFileName().toString();
        assertFalse(Files.readString(journal).contains("abcd1234"));

        OpsctlException e = assertThrows(OpsctlException.class,
                () -> fx.services().history().resume(ResumeRequest.of(runId).withExtraVars(List.of("token=abcd123456789")), fx.events));
        assertEquals("param 'url' held a secret's value, which the journal keeps masked ('https://ops:********@db.internal/'): pass it "
                + "again with -e url=VALUE", e.getMessage());
        e = assertThrows(OpsctlException.class, () -> fx.services().history().resume(ResumeRequest.of(runId)
                .withExtraVars(List.of("token=abcd123456789", "url=https://ops:abcd123456789@db.other/")), fx.events));
        assertTrue(e.getMessage().startsWith("param 'url' is not what run " + runId + " had ('https://ops:********@db.internal/'"),
                e.getMessage());

        assertEquals(0, fx.services().history().resume(ResumeRequest.of(runId).withExtraVars(vars), fx.events));
        assertEquals(2, use.type().calls().size());
        assertEquals(38, JournalReader.read(journal).hosts().get("web1").steps().get("use").result().get("long"),
                "the step saw the whole url, not the masked one");
    }

    @Test
    void aResumedRunRefusesToReadWhatTheJournalKeptOnlyInPart() throws Exception {
        Param token = new Param("token", ParamType.SECRET, Optional.empty(), "", List.of(), Optional.empty(), SourcePos.NONE);
        TestSteps save = TestSteps.step("save", (ctx, call) -> new StepResult(StepResult.Outcome.OK, 0, "x".repeat(70_000), "",
                "saved", Map.of("name", "cm1", "conn", "ops:" + ctx.render("{{ token }}") + "@db"), java.time.Duration.ZERO)).register("saved").idempotent();
        TestSteps name = TestSteps.step("name", (ctx, call) -> StepResult.ok(ctx.render("{{ saved.name }}"), Map.of())).idempotent();
        TestSteps out = TestSteps.step("out", (ctx, call) -> StepResult.ok(ctx.render("{{ saved.stdout }}").length() + " chars",
                Map.of())).ignoreErrors().idempotent();
        TestSteps conn = TestSteps.step("conn", (ctx, call) -> StepResult.ok(ctx.render("{{ saved.conn }}").length() + " chars",
                Map.of())).ignoreErrors().idempotent();
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), List.of(token), save, name, out, conn),
                hosts(1));
        List<String> vars = List.of("token=abcd1234");
        assertEquals(0, fx.services().runs().run(fx.request().withExtraVars(vars), fx.events));
        Path journal = journalOf(fx.stateDir);
        StepRecord live = JournalReader.read(journal).hosts().get("web1").steps().get("out");
        assertEquals("70000 chars", live.message(), "the live run reads the whole output");
        assertEquals(Map.of("cut", List.of(List.of("stdout")), "masked", List.of(List.of("conn"))),
                JournalReader.read(journal).hosts().get("web1").steps().get("save").incomplete());

        List<String> lines = Files.readAllLines(journal);
        int saved = 0;
        while (!(lines.get(saved).contains("\"step-finished\"") && lines.get(saved).contains("\"step\":\"save\""))) {
            saved++;
        }
        Files.write(journal, lines.subList(0, saved + 1));
        String runId = journal.getParent().getFileName().toString();
        assertEquals(0, fx.services().history().resume(ResumeRequest.of(runId).withExtraVars(vars), fx.events));

        Map<String, StepRecord> steps = JournalReader.read(journal).hosts().get("web1").steps();
        assertEquals(1, save.type().calls().size(), "save was not run again");
        assertEquals("cm1", steps.get("name").message(), "whole values are restored");
        assertEquals("failed", steps.get("out").outcome());
        assertTrue(steps.get("out").message().contains("'saved.stdout' cannot be read back from the run's journal: it was over 64K characters "
                + "and the journal keeps only its head"), steps.get("out").message());
        assertEquals("failed", steps.get("conn").outcome());
        assertTrue(steps.get("conn").message().contains("'saved.conn' cannot be read back from the run's journal: it held a secret's value, "
                + "which the journal keeps masked"), steps.get("conn").message());
    }

    @Test
    void aChangedRunbookIsRefusedUnlessForced() throws Exception {
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), TestSteps.ok("a")), hosts(2));
        fx.services().runs().run(fx.request(), fx.events);
        Path journal = journalOf(fx.stateDir);
        Files.write(journal, Files.readAllLines(journal).subList(0, 3));
        String runId = journal.getParent().getFileName().toString();
        Runbook old = fx.runbook.get();
        fx.runbook.set(new Runbook(old.file(), "sha256:changed", old.metadata(), old.params(), old.targets(), old.strategy(),
                old.gates(), old.triggers(), old.steps(), old.rollback(), old.pos()));
        OpsctlException e = assertThrows(OpsctlException.class, () -> fx.services().history().resume(ResumeRequest.of(runId), fx.events));
        assertTrue(e.getMessage().contains("changed since run " + runId + " last ran"), e.getMessage());
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        assertEquals(0, fx.services().history().resume(ResumeRequest.of(runId).withForce(true), fx.events));

        // the forced resume is killed at once: the next resume compares with the runbook it ran, no --force again
        List<String> lines = Files.readAllLines(journal);
        Files.write(journal, lines.subList(0, lines.indexOf(lines.stream().filter(l -> l.contains("\"run-resumed\"")).findFirst()
                .orElseThrow()) + 1));
        assertEquals(0, fx.services().history().resume(ResumeRequest.of(runId), fx.events));
    }
    @Test
    void aResumeForcedPastARenameHoldsItsHostsUnderBothNamesAndIsListedAsRunning() throws Exception {
        java.util.concurrent.atomic.AtomicReference<AppFixture> fixture = new java.util.concurrent.atomic.AtomicReference<>();
        List<String> seen = new ArrayList<>();
        TestSteps look = TestSteps.step("look", (ctx, call) -> {
            AppFixture f = fixture.get();
            RunLock.Holder bob = new RunLock.Holder("20261122-020000-beef", 4242, "bob", "ops1", java.time.Instant.EPOCH);
            for (String name : List.of("test", "renamed")) {
                try (RunLock l = RunLock.acquire(f.stateDir.resolve("locks"), name, List.of(ctx.host()), bob)) {
                    seen.add(name + " free");
                } catch (dev.opsctl.engine.journal.RunLockedException e) {
                    seen.add(name + " held");
                }
            }
            seen.add(f.services().history().list().get(0).status());
            return StepResult.ok("", Map.of());
        });
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), TestSteps.ok("a"), look), hosts(1));
        fixture.set(fx);
        assertEquals(0, fx.services().runs().run(fx.request(), fx.events));
        Path journal = journalOf(fx.stateDir);
        Files.write(journal, Files.readAllLines(journal).subList(0, 3));
        String runId = journal.getParent().getFileName().toString();
        Runbook old = fx.runbook.get();
        fx.runbook.set(new Runbook(old.file(), "sha256:renamed", new dev.opsctl.runbook.model.Metadata("renamed",
                old.metadata().description(), old.metadata().labels()), old.params(), old.targets(), old.strategy(),
                old.gates(), old.triggers(), old.steps(), old.rollback(), old.pos()));
        seen.clear();

        assertEquals(0, fx.services().history().resume(ResumeRequest.of(runId).withForce(true), fx.events));
        assertEquals(List.of("test held", "renamed held", "running"), seen);
    }

    @Test
    void aMaskedPlainParamGivenAgainMustHoldTheSameSecretAndMayComeFromItsVariable() throws Exception {
        // found by review: any text in place of the mask was accepted, and $DB_URL set as before was not taken
        Param token = new Param("token", ParamType.SECRET, Optional.empty(), "", List.of(), Optional.of("OPS_TOKEN"), SourcePos.NONE);
        Param url = new Param("url", ParamType.STRING, Optional.empty(), "", List.of(), Optional.of("DB_URL"), SourcePos.NONE);
        List<String> seen = new ArrayList<>();
        TestSteps use = TestSteps.step("use", (ctx, call) -> {
            seen.add(ctx.render("{{ url }}"));
            return StepResult.ok("", Map.of());
        }).idempotent();
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), List.of(token, url), use), hosts(1));
        fx.environ = Map.of("USER", "alice", "HOME", "/home/alice", "OPS_TOKEN", "abcd123456789",
                "DB_URL", "https://ops:abcd123456789@db.internal/");
        assertEquals(0, fx.services().runs().run(fx.request(), fx.events));
        Path journal = journalOf(fx.stateDir);
        Files.write(journal, Files.readAllLines(journal).subList(0, 3));
        String runId = journal.getParent().getFileName().toString();

        OpsctlException e = assertThrows(OpsctlException.class, () -> fx.services().history().resume(ResumeRequest.of(runId)
                .withExtraVars(List.of("url=https://ops:WRONG-PASSWORD@db.internal/")), fx.events));
        assertEquals("param 'url' is not what run " + runId + " had ('https://ops:********@db.internal/', its secret masked); "
                + "a resume cannot change it (start a new run instead)", e.getMessage());
        assertFalse(e.getMessage().contains("WRONG"), "the given value is not shown");

        seen.clear();
        assertEquals(0, fx.services().history().resume(ResumeRequest.of(runId), fx.events), "the same environment as the run");
        assertEquals(List.of("https://ops:abcd123456789@db.internal/"), seen);
    }

    @Test
    void theMaskPastedBackInPlaceOfTheSecretIsRefused() throws Exception {
        // found by review: the refusal shows the masked text, and pasting it back matched it exactly
        Param token = new Param("token", ParamType.SECRET, Optional.empty(), "", List.of(), Optional.empty(), SourcePos.NONE);
        Param url = new Param("url", ParamType.STRING, Optional.empty(), "", List.of(), Optional.empty(), SourcePos.NONE);
        TestSteps use = TestSteps.step("use", (ctx, call) -> StepResult.ok("", Map.of())).idempotent();
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), List.of(token, url), use), hosts(1));
        assertEquals(0, fx.services().runs().run(fx.request().withExtraVars(List.of("token=abcd123456789",
                "url=https://ops:abcd123456789@db.internal/")), fx.events));
        Path journal = journalOf(fx.stateDir);
        Files.write(journal, Files.readAllLines(journal).subList(0, 3));
        String runId = journal.getParent().getFileName().toString();

        OpsctlException e = assertThrows(OpsctlException.class, () -> fx.services().history().resume(ResumeRequest.of(runId)
                .withExtraVars(List.of("token=abcd123456789", "url=https://ops:********@db.internal/")), fx.events));
        assertEquals("param 'url' was given with '********' in it, the journal's mask: give it with the secret's value in place "
                + "of the mask", e.getMessage());
        assertEquals(1, use.type().calls().size(), "nothing ran");
    }
}
