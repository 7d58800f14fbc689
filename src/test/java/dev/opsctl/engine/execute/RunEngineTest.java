package dev.opsctl.engine.execute;

import static dev.opsctl.engine.fakes.TestRunbooks.hosts;
import static dev.opsctl.engine.fakes.TestRunbooks.n;
import static dev.opsctl.engine.fakes.TestRunbooks.runbook;
import static dev.opsctl.engine.fakes.TestRunbooks.serial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.StepResult;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.FakeClock;
import dev.opsctl.engine.fakes.FakeTargets;
import dev.opsctl.engine.fakes.Harness;
import dev.opsctl.engine.fakes.TestRunbooks;
import dev.opsctl.engine.fakes.TestSteps;
import dev.opsctl.engine.fakes.TestTriggers;
import dev.opsctl.event.RunEvent;
import dev.opsctl.inventory.Host;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Strategy;
import dev.opsctl.source.SourcePos;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.TargetException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RunEngineTest {
    private static List<String> batchHosts(Harness h) {
        return h.events.of(RunEvent.BatchStarted.class).stream().map(b -> String.join(",", b.hosts())).toList();
    }

    @Test
    void runsEveryStepOnEveryHostInOrderAndExitsZero() {
        TestSteps a = TestSteps.ok("a");
        TestSteps b = TestSteps.ok("b");
        Harness h = new Harness();
        RunOutcome out = h.run(runbook(serial(List.of(n(1)), 0, false), a, b), hosts(3));
        assertEquals(ExitCodes.OK, out.exitCode());
        assertEquals("ok", out.status());
        assertEquals(List.of("web1:a", "web2:a", "web3:a"), a.type().calls());
        assertEquals(List.of("web1", "web2", "web3"), batchHosts(h));
        assertEquals(Map.of("web1", "ok", "web2", "ok", "web3", "ok"), out.hosts());
        assertTrue(h.targets.opened.values().stream().allMatch(t -> t.closed), "every target is closed");
    }

    @Test
    void hostsOfABatchRunConcurrentlyButNeverMoreThanForks() {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        TestSteps s = TestSteps.step("work", (ctx, call) -> {
            int c = now.incrementAndGet();
            max.accumulateAndGet(c, Math::max);
            Thread.sleep(30);
            now.decrementAndGet();
            return StepResult.ok("", Map.of());
        });
        Harness h = new Harness();
        h.forks = 3;
        RunOutcome out = h.run(runbook(serial(List.of(TestRunbooks.pct(100)), 0, false), s), hosts(10));
        assertEquals(0, out.exitCode());
        assertEquals(3, max.get(), "three hosts at once, not more and not fewer");
        assertEquals(10, s.type().calls().size());
    }

    @Test
    void aFailedHostHaltsTheRolloutAndTheNextBatchNeverStarts() {
        TestSteps s = TestSteps.step("restart", (ctx, call) -> ctx.host().equals("web2")
                ? StepResult.failed("exit 1 from 'systemctl restart docker'", Map.of())
                : StepResult.ok("", Map.of()));
        TestSteps after = TestSteps.ok("after");
        Harness h = new Harness();
        RunOutcome out = h.run(runbook(serial(List.of(n(2)), 0, false), s, after), hosts(5));
        assertEquals(ExitCodes.FAILED, out.exitCode());
        assertEquals(List.of("web1,web2"), batchHosts(h), "batch 2 never starts");
        assertEquals("failed", out.hosts().get("web2"));
        assertEquals("not_started", out.hosts().get("web3"));
        assertFalse(after.type().calls().contains("web2:after"), "a failed step halts its host");
        assertTrue(out.message().contains("host 'web2': step 'restart' failed: exit 1 from 'systemctl restart docker'"),
                out.message());
        assertTrue(out.message().contains("opsctl runs resume " + h.runId), out.message());
    }

    @Test
    void failuresWithinMaxFailuresLetTheBatchFinishButNotTheNextBatchStart() {
        TestSteps s = TestSteps.step("s", (ctx, call) -> ctx.host().equals("web1")
                ? StepResult.failed("boom", Map.of()) : StepResult.ok("", Map.of()));
        Harness h = new Harness();
        h.forks = 1;
        RunOutcome out = h.run(runbook(serial(List.of(n(3)), 1, false), s), hosts(6));
        assertEquals(List.of("web1:s", "web2:s", "web3:s"), s.type().calls(), "budget holds: the batch goes on");
        assertEquals(1, batchHosts(h).size());
        assertEquals(ExitCodes.FAILED, out.exitCode());
    }

    @Test
    void continueOnFailureStartsTheNextBatchWhileTheBudgetHolds() {
        TestSteps s = TestSteps.step("s", (ctx, call) -> ctx.host().equals("web1")
                ? StepResult.failed("boom", Map.of()) : StepResult.ok("", Map.of()));
        Harness h = new Harness();
        RunOutcome out = h.run(runbook(serial(List.of(n(1)), 1, true), s), hosts(3));
        assertEquals(List.of("web1", "web2", "web3"), batchHosts(h));
        assertEquals("ok", out.hosts().get("web3"));
        assertEquals(ExitCodes.FAILED, out.exitCode(), "a failed host still fails the run");
    }

    @Test
    void continueOnFailureStillStopsOnceMaxFailuresIsExceeded() {
        TestSteps s = TestSteps.step("s", (ctx, call) -> ctx.host().equals("web4")
                ? StepResult.ok("", Map.of()) : StepResult.failed("boom", Map.of()));
        Harness h = new Harness();
        RunOutcome out = h.run(runbook(serial(List.of(n(1)), 1, true), s), hosts(4));
        assertEquals(List.of("web1", "web2"), batchHosts(h));
        assertEquals("not_started", out.hosts().get("web3"));
    }

    @Test
    void runningHostsFinishTheirCurrentStepThenHaltWhenAnotherHostFails() throws Exception {
        CountDownLatch web1Failed = new CountDownLatch(1);
        CountDownLatch web2Waiting = new CountDownLatch(1);
        TestSteps first = TestSteps.step("first", (ctx, call) -> {
            if (ctx.host().equals("web1")) {
                assertTrue(web2Waiting.await(5, TimeUnit.SECONDS));
                return StepResult.failed("boom", Map.of());
            }
            return StepResult.ok("", Map.of());
        });
        TestSteps wait = TestSteps.step("wait", (ctx, call) -> {
            web2Waiting.countDown();
            assertTrue(web1Failed.await(5, TimeUnit.SECONDS));
            return StepResult.ok("finished its step", Map.of());
        });
        TestSteps third = TestSteps.ok("third");
        Harness h = new Harness();
        h.subscribe(e -> {
            if (e instanceof RunEvent.HostFinished f && f.host().equals("web1")) {
                web1Failed.countDown();
            }
        });
        RunOutcome out = h.run(runbook(serial(List.of(n(2)), 0, false), first, wait, third), hosts(2));
        assertEquals(List.of("web2:wait"), wait.type().calls());
        assertEquals(List.of(), third.type().calls());
        assertEquals("halted", out.hosts().get("web2"));
        assertEquals("failed", out.hosts().get("web1"));
    }

    @Test
    void retriesWaitTheDelayBetweenAttemptsOnTheFakeClock() {
        TestSteps flaky = TestSteps.step("flaky", (ctx, call) -> call < 3 ? StepResult.failed("not yet", Map.of())
                : StepResult.ok("", Map.of())).retries(4, Duration.ofSeconds(5));
        Harness h = new Harness();
        Instant t0 = h.clock.instant();
        RunOutcome out = h.run(runbook(serial(List.of(n(1)), 0, false), flaky), hosts(1));
        assertEquals(0, out.exitCode());
        assertEquals(3, flaky.type().calls().size());
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5)), h.clock.sleeps);
        assertEquals(t0.plusSeconds(10), h.clock.instant());
        assertEquals(List.of(1, 2, 3), h.events.of(RunEvent.StepStarted.class).stream().map(RunEvent.StepStarted::attempt).toList());
        assertEquals(1, h.events.finished("web1", "flaky").size(), "one step-finished for the step, after the last attempt");
    }

    /** sudo or the login shell refused the command: nothing ran, and another attempt would be refused the same way. */
    @Test
    void aCommandTheHostRefusedToStartFailsTheStepWithoutRetries() {
        TestSteps refused = TestSteps.step("check", (ctx, call) -> {
            throw TargetException.remoteFailed("web1", "sudo on host 'web1' refused to run the command as 'root': "
                    + "'sudo: a password is required'; fix: allow it in sudoers (NOPASSWD)").withNotStarted();
        }).retries(3, Duration.ofSeconds(5));
        TestSteps flaky = TestSteps.step("flaky", (ctx, call) -> {
            throw TargetException.remoteFailed("web1", "docker daemon answered 500");
        }).retries(1, Duration.ofSeconds(5));
        Harness h = new Harness();
        RunOutcome out = h.run(runbook(serial(List.of(n(1)), 0, false), refused), hosts(1));
        assertEquals(ExitCodes.FAILED, out.exitCode());
        assertEquals(1, refused.type().calls().size());
        assertEquals(List.of(), h.clock.sleeps);
        RunEvent.StepFinished f = h.events.finished("web1", "check").get(0);
        assertEquals("failed", f.outcome());
        assertTrue(f.message().startsWith("sudo on host 'web1' refused to run the command as 'root': 'sudo: a password is required'"),
                f.message());
        assertTrue(h.events.of(RunEvent.Notice.class).stream().anyMatch(n -> n.message().equals(
                "step 'check' attempt 1 of 4: not retried: the host refuses to start its command the same way each time")),
                h.events.of(RunEvent.Notice.class).toString());
        Harness other = new Harness();
        other.run(runbook(serial(List.of(n(1)), 0, false), flaky), hosts(1));
        assertEquals(2, flaky.type().calls().size(), "another failure of the host is retried as before");
    }

    @Test
    void aTemplatedDelayIsRenderedWithTheRunsParams() {
        TestSteps flaky = TestSteps.step("flaky", (ctx, call) -> call < 3 ? StepResult.failed("not yet", Map.of())
                : StepResult.ok("", Map.of())).retries(4, "{{ poll }}");
        Harness h = new Harness();
        assertEquals(0, h.run(runbook(serial(List.of(n(1)), 0, false), flaky), hosts(1), Map.of("poll", "2s")).exitCode());
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2)), h.clock.sleeps);

        TestSteps bad = TestSteps.step("bad", (ctx, call) -> StepResult.failed("not yet", Map.of())).retries(4, "{{ poll }}");
        Harness h2 = new Harness();
        RunOutcome out = h2.run(runbook(serial(List.of(n(1)), 0, false), bad), hosts(1), Map.of("poll", "soon"));
        assertEquals(ExitCodes.FAILED, out.exitCode());
        assertEquals(1, bad.type().calls().size(), "not retried");
        assertEquals(List.of(), h2.clock.sleeps);
        RunEvent.StepFinished f = h2.events.finished("web1", "bad").get(0);
        assertEquals("'delay' of step 'bad' is 'soon', not a duration longer than 0s (e.g. 5m); not retried (attempt 1 of 5: not yet)",
                f.message());
    }

    @Test
    void untilIsEvaluatedWithTheResultFieldsAndFailsWhenAttemptsRunOut() {
        TestSteps poll = TestSteps.step("poll", (ctx, call) -> StepResult.ok("", Map.of("status", (long) (call * 100))))
                .retries(5, Duration.ofSeconds(1)).until("status >= 300");
        Harness h = new Harness();
        assertEquals(0, h.run(runbook(serial(List.of(n(1)), 0, false), poll), hosts(1)).exitCode());
        assertEquals(3, poll.type().calls().size());

        TestSteps never = TestSteps.step("never", (ctx, call) -> StepResult.ok("", Map.of("status", 500L)))
                .retries(2, Duration.ofSeconds(1)).until("status == 200");
        Harness h2 = new Harness();
        RunOutcome out = h2.run(runbook(serial(List.of(n(1)), 0, false), never), hosts(1));
        assertEquals(ExitCodes.FAILED, out.exitCode());
        assertEquals(3, never.type().calls().size());
        RunEvent.StepFinished f = h2.events.finished("web1", "never").get(0);
        assertEquals("failed", f.outcome());
        assertTrue(f.message().contains("'until' is still false: status == 200 after 3 attempts"), f.message());
    }

    @Test
    void untilSeesTheRunsParamsBesideTheResultFields() {
        TestSteps poll = TestSteps.step("poll", (ctx, call) -> StepResult.ok("", Map.of("status", (long) (call * 100))))
                .retries(5, Duration.ofSeconds(1)).until("status >= msg");
        Harness h = new Harness();
        assertEquals(0, h.run(runbook(serial(List.of(n(1)), 0, false), poll), hosts(1), Map.of("msg", "400")).exitCode());
        assertEquals(4, poll.type().calls().size());
    }

    @Test
    void timeoutInterruptsAStepThatDoesNotStopAndTheHostFails() {
        TestSteps hang = TestSteps.step("hang", (ctx, call) -> {
            assertEquals(Duration.ofMillis(50), ctx.timeout().orElseThrow(), "the step sees its timeout");
            Thread.sleep(60_000);
            return StepResult.ok("", Map.of());
        }).timeout(Duration.ofMillis(50));
        TestSteps next = TestSteps.ok("next");
        Harness h = new Harness();
        long t = System.nanoTime();
        RunOutcome out = h.run(runbook(serial(List.of(n(1)), 0, false), hang, next), hosts(1));
        assertTrue(System.nanoTime() - t < 10_000_000_000L);
        assertEquals("timed_out", h.events.finished("web1", "hang").get(0).outcome());
        assertEquals("failed", out.hosts().get("web1"));
        assertEquals(ExitCodes.FAILED, out.exitCode());
        assertEquals(List.of(), next.type().calls());
    }

    @Test
    void aFalseWhenSkipsTheStepWithoutRunningIt() {
        TestSteps s = TestSteps.ok("maybe").when("host.vars.role == 'db'");
        TestSteps t = TestSteps.ok("always").when("host.vars.role == 'web'");
        Harness h = new Harness();
        assertEquals(0, h.run(runbook(serial(List.of(n(1)), 0, false), s, t), hosts(1)).exitCode());
        assertEquals(List.of(), s.type().calls());
        assertEquals(List.of("web1:always"), t.type().calls());
        assertEquals("skipped", h.events.finished("web1", "maybe").get(0).outcome());
    }

    @Test
    void registeredResultsAreReadableAsRegisterAndAsStepsId() {
        TestSteps build = TestSteps.step("build", (ctx, call) -> StepResult.ok("", Map.of("version", "1.2." + ctx.host())))
                .register("b");
        AtomicReference<String> seen = new AtomicReference<>();
        TestSteps use = TestSteps.step("use", (ctx, call) -> {
            seen.set(ctx.render("{{ b.version }} {{ steps.build.version }} {{ steps.build.rc }} {{ run.id }} {{ host.name }}"));
            return StepResult.ok("", Map.of());
        });
        Harness h = new Harness();
        assertEquals(0, h.run(runbook(serial(List.of(n(1)), 0, false), build, use), hosts(1)).exitCode());
        assertEquals("1.2.web1 1.2.web1 0 " + h.runId + " web1", seen.get());
    }

    @Test
    void paramsAreInScopeBareAndUnderParamsAndCommandsAreShellQuoted() {
        AtomicReference<String> cmd = new AtomicReference<>();
        TestSteps s = TestSteps.step("s", (ctx, call) -> {
            cmd.set(ctx.renderCommand("echo {{ msg }} {{ params.msg }} {{ env.HOME }} {{ vars.role }}"));
            return StepResult.ok("", Map.of());
        });
        Harness h = new Harness();
        h.run(runbook(serial(List.of(n(1)), 0, false), s), hosts(1), Map.of("msg", "hello world"));
        assertEquals("echo 'hello world' 'hello world' /home/alice web", cmd.get());
    }

    @Test
    void ignoredFailureIsRecordedAndTheHostContinues() {
        TestSteps bad = TestSteps.step("bad", (ctx, call) -> StepResult.failed("meh", Map.of())).ignoreErrors();
        TestSteps next = TestSteps.ok("next");
        Harness h = new Harness();
        RunOutcome out = h.run(runbook(serial(List.of(n(1)), 0, false), bad, next), hosts(1));
        assertEquals(0, out.exitCode());
        RunEvent.StepFinished f = h.events.finished("web1", "bad").get(0);
        assertEquals("failed", f.outcome());
        assertTrue(f.ignored());
        assertEquals(List.of("web1:next"), next.type().calls());
    }

    @Test
    void anUnreachableHostIsReportedAsUnreachableNotFailed() {
        TestSteps s = TestSteps.step("s", (ctx, call) -> {
            if (ctx.host().equals("web2")) {
                throw TargetException.unreachable("web2", "no route to host", null);
            }
            return StepResult.ok("", Map.of());
        });
        Harness h = new Harness(new FakeClock(), new FakeTargets(Set.of("web3")));
        RunOutcome out = h.run(runbook(serial(List.of(TestRunbooks.pct(100)), 5, false), s), hosts(3));
        assertEquals("ok", out.hosts().get("web1"));
        assertEquals("unreachable", out.hosts().get("web2"));
        assertEquals("unreachable", out.hosts().get("web3"), "a target that cannot open is unreachable too");
        assertEquals("unreachable", h.events.finished("web2", "s").get(0).outcome());
        assertEquals(ExitCodes.FAILED, out.exitCode());
    }

    @Test
    void aHostIsNotStartedOutsideTheMaintenanceWindow() {
        TestSteps s = TestSteps.ok("s");
        Runbook rb = runbook(TestRunbooks.window("02:00-05:00 Asia/Tokyo"), s);
        Harness h = new Harness(new FakeClock(Instant.parse("2026-11-22T03:00:00Z"), ZoneId.of("UTC")), new FakeTargets());
        RunOutcome out = h.run(rb, hosts(2));
        assertEquals(ExitCodes.FAILED, out.exitCode());
        assertEquals(List.of(), s.type().calls());
        assertTrue(out.message().contains("outside the maintenance window '02:00-05:00 Asia/Tokyo': it is 12:00 in Asia/Tokyo"),
                out.message());

        Harness inside = new Harness(new FakeClock(Instant.parse("2026-11-21T18:00:00Z"), ZoneId.of("UTC")), new FakeTargets());
        assertEquals(0, inside.run(rb, hosts(2)).exitCode());

        Harness ignoring = new Harness(new FakeClock(Instant.parse("2026-11-22T03:00:00Z"), ZoneId.of("UTC")), new FakeTargets());
        ignoring.ignoreWindow = true;
        assertEquals(0, ignoring.run(rb, hosts(2)).exitCode());
    }

    @Test
    void aResumedHostThatWasHalfDoneIsFinishedOutsideTheWindowButNoOtherHostStarts() {
        TestSteps first = TestSteps.ok("first");
        TestSteps second = TestSteps.ok("second");
        Runbook rb = runbook(new Strategy(List.of(n(1)), 0, false, Optional.of("02:00-05:00 Asia/Tokyo"), Optional.empty(),
                Duration.ZERO, SourcePos.NONE), first, second);
        Harness h = new Harness(new FakeClock(Instant.parse("2026-11-22T03:00:00Z"), ZoneId.of("UTC")), new FakeTargets());
        h.resume = Map.of("web1", new HostResume(true, Map.of()), "web2", new HostResume(false, Map.of("first", Map.of())));

        RunOutcome out = h.run(rb, hosts(3));

        assertEquals(List.of("web2:second"), second.type().calls(), "web2 finished, web3 not started");
        assertEquals(List.of(), first.type().calls());
        assertEquals("ok", out.hosts().get("web2"));
        assertEquals(ExitCodes.FAILED, out.exitCode());
        assertTrue(out.message().contains("host 'web3' not started: outside the maintenance window"), out.message());
        assertTrue(h.events.of(RunEvent.Notice.class).stream().anyMatch(n -> n.message().equals("host 'web2' is finished although "
                + "it is outside the maintenance window '02:00-05:00 Asia/Tokyo': it is 12:00 in Asia/Tokyo: the run stopped half way "
                + "through it")), h.events.of(RunEvent.Notice.class).toString());
    }

    /**
     * The dead run's trigger decided web1's rollback after its first step failed (nothing of it completed),
     * and the resume comes after the window closed: the rollback is carried out all the same (the window
     * keeps hosts from starting, not from being put back), and no other host starts.
     */
    @Test
    void aRollbackATriggerDecidedBeforeOpsctlStoppedIsCarriedOutOutsideTheWindow() {
        TestSteps first = TestSteps.ok("first");
        TestSteps undo = TestSteps.ok("undo");
        Runbook rb = TestTriggers.runbook(new Strategy(List.of(n(1)), 0, false, Optional.of("02:00-05:00 Asia/Tokyo"), Optional.empty(),
                Duration.ZERO, SourcePos.NONE), List.of(TestTriggers.onStep("broken", "first", dev.opsctl.runbook.model.TriggerAction.ROLLBACK)),
                List.of(first), List.of(undo));
        Harness h = new Harness(new FakeClock(Instant.parse("2026-11-22T03:00:00Z"), ZoneId.of("UTC")), new FakeTargets());
        h.resume = Map.of("web1", new HostResume(false, Map.of(), "ok", Optional.of(
                new dev.opsctl.engine.journal.PendingTrigger("broken", "rollback", "step 'first' failed: exit 1"))));

        RunOutcome out = h.run(rb, hosts(2));

        assertEquals(List.of("web1:undo"), undo.type().calls(), out.message());
        assertEquals(List.of(), first.type().calls());
        assertEquals("rolled_back", out.hosts().get("web1"));
        assertEquals("not_started", out.hosts().get("web2"));
        assertEquals(ExitCodes.ROLLED_BACK, out.exitCode());
    }

    @Test
    void stopInterruptsTheRunningStepAndTheRunExits130() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Boolean> interrupted = new AtomicReference<>(false);
        TestSteps hang = TestSteps.step("hang", (ctx, call) -> {
            running.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return StepResult.ok("", Map.of());
        });
        TestSteps next = TestSteps.ok("next");
        Harness h = new Harness();
        stopOnce(running, h.stop);
        RunOutcome out = h.run(runbook(serial(List.of(n(1)), 0, false), hang, next), hosts(2));
        assertEquals(ExitCodes.INTERRUPTED, out.exitCode());
        assertTrue(interrupted.get());
        assertEquals("interrupted", h.events.finished("web1", "hang").get(0).outcome());
        assertEquals("interrupted", out.hosts().get("web1"));
        assertEquals("not_started", out.hosts().get("web2"));
        assertEquals(List.of(), next.type().calls());
        assertTrue(out.message().endsWith("continue with 'opsctl runs resume " + h.runId + "'"), out.message());

        // an interrupted 'runs rollback' is continued by the same rollback, not by a resume (which leaves the host alone)
        Harness again = new Harness();
        CountDownLatch undoing = new CountDownLatch(1);
        TestSteps hangingUndo = TestSteps.step("undo", (ctx, call) -> {
            undoing.countDown();
            Thread.sleep(60_000);
            return StepResult.ok("", Map.of());
        });
        stopOnce(undoing, again.stop);
        RunOutcome rolledBack = again.rollback(TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(), List.of(next), List.of(hangingUndo)),
                hosts(2));
        assertEquals(ExitCodes.INTERRUPTED, rolledBack.exitCode());
        assertTrue(rolledBack.message().endsWith("continue with 'opsctl runs rollback " + again.runId + " --host web1 --host web2'"),
                rolledBack.message());
    }

    /** Requests {@code stop} (as Ctrl-C does) once {@code reached} is counted down. */
    private static void stopOnce(CountDownLatch reached, StopSignal stop) {
        new Thread(() -> {
            try {
                reached.await();
                stop.request();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).start();
    }

    @Test
    void sudoStepsGetRootAndOthersNone() {
        AtomicReference<Sudo> withSudo = new AtomicReference<>();
        AtomicReference<Sudo> without = new AtomicReference<>();
        TestSteps a = TestSteps.step("a", (ctx, call) -> {
            withSudo.set(ctx.sudo());
            return StepResult.ok("", Map.of());
        }).sudo();
        TestSteps b = TestSteps.step("b", (ctx, call) -> {
            without.set(ctx.sudo());
            return StepResult.ok("", Map.of());
        });
        new Harness().run(runbook(serial(List.of(n(1)), 0, false), a, b), hosts(1));
        assertEquals(Sudo.ROOT, withSudo.get());
        assertEquals(Sudo.NONE, without.get());
    }

    @Test
    void controllerStepsRunOnTheControllerTargetWithHostVarsInScope() {
        AtomicReference<String> where = new AtomicReference<>();
        TestSteps lb = TestSteps.step("drain", (ctx, call) -> {
            where.set(ctx.target().describe() + " " + ctx.render("{{ host.name }}"));
            return StepResult.ok("", Map.of());
        }).onController();
        Harness h = new Harness();
        h.run(runbook(serial(List.of(n(1)), 0, false), lb), List.of(TestRunbooks.host("web7")));
        assertEquals("local (for web7) web7", where.get());
        assertTrue(h.targets.controllers.get(0).closed);
    }

    @Test
    void theInventorysBecomeUserAppliesOnItsHostOnlyAndSudoTrueIsRoot() {
        Map<String, String> as = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.function.Function<String, TestSteps> recording = id -> TestSteps.step(id, (ctx, call) -> {
            as.put(id, ctx.sudo().enabled() ? ctx.sudo().user() : "-");
            return StepResult.ok("", Map.of());
        });
        Host web7 = TestRunbooks.host("web7");
        Host becomes = new Host(web7.name(), web7.address(), web7.port(), web7.user(), web7.identityFile(), true, "postgres",
                web7.connection(), web7.groups(), web7.vars());
        Harness h = new Harness();
        h.run(runbook(serial(List.of(n(1)), 0, false), recording.apply("on-host"), recording.apply("as-root").sudo(),
                recording.apply("on-controller").onController()), List.of(becomes));
        assertEquals(Map.of("on-host", "postgres", "as-root", "root", "on-controller", "-"), as);
    }

    @Test
    void aHookVerdictStopsTheHostWithItsStatusAndExitCode() {
        TestSteps a = TestSteps.ok("a");
        TestSteps b = TestSteps.ok("b");
        Harness h = new Harness();
        h.hooks = new HostHooks() {
            @Override
            public HookVerdict afterStep(HostRun host, dev.opsctl.runbook.model.Step step, StepResult result) {
                return host.host().name().equals("web1") && step.id().equals("a")
                        ? HookVerdict.stop("rolled_back", ExitCodes.ROLLED_BACK, true, "trigger 'health' fired")
                        : HookVerdict.CONTINUE;
            }
        };
        RunOutcome out = h.run(runbook(serial(List.of(n(1)), 0, false), a, b), hosts(2));
        assertEquals(ExitCodes.ROLLED_BACK, out.exitCode());
        assertEquals("rolled_back", out.status());
        assertEquals("rolled_back", out.hosts().get("web1"));
        assertEquals(List.of(), b.type().calls());
        assertEquals("not_started", out.hosts().get("web2"));
    }

    @Test
    void everyHostIsStartedAndFinishedInEvents() {
        Harness h = new Harness();
        List<Host> hs = hosts(3);
        h.run(runbook(serial(List.of(n(3)), 0, false), TestSteps.ok("a")), hs);
        assertEquals(3, h.events.of(RunEvent.HostStarted.class).size());
        assertEquals(3, h.events.of(RunEvent.HostFinished.class).size());
        assertEquals(1, h.events.of(RunEvent.RunFinished.class).size());
        assertTrue(h.events.all().get(0) instanceof RunEvent.RunStarted);
    }
}
