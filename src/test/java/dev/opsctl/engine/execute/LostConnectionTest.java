package dev.opsctl.engine.execute;

import static dev.opsctl.engine.fakes.TestRunbooks.hosts;
import static dev.opsctl.engine.fakes.TestRunbooks.n;
import static dev.opsctl.engine.fakes.TestRunbooks.pct;
import static dev.opsctl.engine.fakes.TestRunbooks.serial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.StepResult;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.Harness;
import dev.opsctl.engine.fakes.TestRunbooks;
import dev.opsctl.engine.fakes.TestSteps;
import dev.opsctl.engine.fakes.TestTriggers;
import dev.opsctl.event.RunEvent;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.TriggerAction;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.TargetException.LostCommand;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A connection lost under a step's command, as opposed to a host that could not be reached at all. */
class LostConnectionTest {
    /** What the SSH target throws when the connection breaks under a running command. */
    static TargetException lost(String host, LostCommand command) {
        return new TargetException(TargetException.Kind.CONNECTION_LOST, host, "host '" + host + "': the ssh connection to '"
                + host + ":22' was lost while running 'sh two.sh': connection reset; the command may or may not have completed on the host")
                .withLostCommand(command);
    }

    private final TestSteps one = TestSteps.ok("one");

    @Test
    void aConnectionLostUnderAStepIsJournaledAsConnectionLostAndAFailedConnectAsUnreachable() {
        TestSteps two = TestSteps.step("two", (ctx, call) -> {
            throw ctx.host().equals("web1") ? lost("web1", LostCommand.STOPPED) : TargetException.unreachable(ctx.host(), "connection refused", null);
        });
        Harness h = new Harness();
        h.run(TestRunbooks.runbook(serial(List.of(pct(100)), 5, false), one, two), hosts(2));
        assertEquals("connection_lost", h.events.finished("web1", "two").get(0).outcome());
        assertEquals("unreachable", h.events.finished("web2", "two").get(0).outcome());
    }

    @Test
    void aTriggerOfClassUnreachableOrConnectionLostFiresOnALostConnectionAndExitDoesNot() {
        for (String cls : List.of("unreachable", "connection_lost", "exit")) {
            TestSteps two = TestSteps.step("two", (ctx, call) -> {
                throw lost(ctx.host(), LostCommand.STOPPED);
            });
            TestSteps undoIt = TestSteps.ok("undo");
            Runbook rb = TestTriggers.runbook(serial(List.of(n(1)), 0, false),
                    List.of(TestTriggers.onStep("t", Optional.of("two"), Optional.of(cls), TriggerAction.ROLLBACK)), List.of(one, two),
                    List.of(undoIt));
            Harness h = new Harness();
            RunOutcome out = h.run(rb, hosts(1));
            if (cls.equals("exit")) {
                assertEquals(ExitCodes.FAILED, out.exitCode(), cls + ": " + out.message());
                assertEquals(List.of(), undoIt.type().calls(), cls);
            } else {
                assertEquals(ExitCodes.ROLLED_BACK, out.exitCode(), cls + ": " + out.message());
                assertEquals(List.of("web1:undo"), undoIt.type().calls(), cls);
                assertEquals("connection_lost", h.events.of(RunEvent.TriggerFired.class).get(0).values().get("class"));
            }
        }
    }

    private static Runbook withTrigger(TriggerAction then, TestSteps... steps) {
        return TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(TestTriggers.onStep("two-failed", "two", then)),
                List.of(steps), List.of(TestSteps.ok("undo")));
    }

    @Test
    void aLostCommandThatMayStillRunIsNotRetriedAndHaltsTheRolloutForAHumanNamingHostStepAndWhatToDo() {
        TestSteps two = TestSteps.step("two", (ctx, call) -> {
            throw lost(ctx.host(), LostCommand.MAY_STILL_RUN);
        }).retries(2, java.time.Duration.ofSeconds(1));
        Harness h = new Harness();
        RunOutcome out = h.run(TestRunbooks.runbook(serial(List.of(n(1)), 5, true), one, two), hosts(3));
        assertEquals(List.of("web1:two"), two.type().calls(), "no second attempt beside the first, and no other host starts");
        assertEquals(ExitCodes.ROLLBACK_FAILED, out.exitCode(), out.message());
        assertEquals("halted", out.status());
        assertEquals(Map.of("web1", "halted", "web2", "not_started", "web3", "not_started"), out.hosts());
        RunEvent.HostFinished web1 = h.events.of(RunEvent.HostFinished.class).get(0);
        String id = h.runId;
        for (String said : List.of("step 'two' lost its connection mid-way: its command may still be running, or its change may have been applied",
                "not retried", "opsctl halted the rollout and left the host as it is",
                "check the host, then 'opsctl runs rollback " + id + " --host web1' or 'opsctl runs resume " + id + " --rerun-interrupted'")) {
            assertTrue(web1.message().contains(said), said + " in: " + web1.message());
            assertTrue(out.message().contains(said), said + " in: " + out.message());
        }
        assertEquals(1, h.events.of(RunEvent.RunHalted.class).size());
    }

    @Test
    void anIdempotentStepIsRetriedAfterALostConnectionAndAStoppedHalfRunOneIsNot() {
        TestSteps idem = TestSteps.step("two", (ctx, call) -> {
            if (call == 1) {
                throw lost(ctx.host(), LostCommand.MAY_STILL_RUN);
            }
            return StepResult.changed("done", Map.of());
        }).retries(2, java.time.Duration.ofSeconds(1)).idempotent();
        Harness h = new Harness();
        assertEquals(ExitCodes.OK, h.run(TestRunbooks.runbook(serial(List.of(n(1)), 0, false), idem), hosts(1)).exitCode());
        assertEquals(2, idem.type().calls().size());

        TestSteps stopped = TestSteps.step("two", (ctx, call) -> {
            throw lost(ctx.host(), LostCommand.STOPPED);
        }).retries(2, java.time.Duration.ofSeconds(1));
        Harness h2 = new Harness();
        RunOutcome out = h2.run(TestRunbooks.runbook(serial(List.of(n(1)), 0, false), stopped), hosts(1));
        assertEquals(List.of("web1:two"), stopped.type().calls());
        assertEquals(ExitCodes.FAILED, out.exitCode(), "stopped: a failed step, no human needed beyond the usual");
        assertEquals("failed", out.hosts().get("web1"));
        assertTrue(h2.events.finished("web1", "two").get(0).message().contains("not retried"), out.message());
    }

    @Test
    void aTriggerFiredByALostCommandThatMayStillRunIsReportedButTheHostIsNotRolledBack() {
        for (TriggerAction then : List.of(TriggerAction.ROLLBACK, TriggerAction.ASK)) {
            TestSteps two = TestSteps.step("two", (ctx, call) -> {
                throw lost(ctx.host(), LostCommand.MAY_STILL_RUN);
            });
            Runbook rb = withTrigger(then, one, two);
            Harness h = new Harness();
            RunOutcome out = h.run(rb, hosts(2));
            assertEquals(List.of(), h.events.of(RunEvent.RollbackStarted.class), then + ": nothing rolled back");
            assertEquals(ExitCodes.ROLLBACK_FAILED, out.exitCode(), out.message());
            assertEquals(Map.of("web1", "halted", "web2", "not_started"), out.hosts());
            assertEquals("two-failed", h.events.of(RunEvent.TriggerFired.class).get(0).trigger());
            String said = h.events.of(RunEvent.HostFinished.class).get(0).message();
            assertTrue(said.contains("trigger 'two-failed' fired but the host was not rolled back"), said);
            assertTrue(said.contains("its command may still be running, or its change may have been applied"), said);
        }
    }

    @Test
    void rollbackAllRollsBackTheOtherHostsButNotTheOneWhoseCommandMayStillRun() {
        TestSteps two = TestSteps.step("two", (ctx, call) -> {
            if (ctx.host().equals("web2")) {
                throw lost(ctx.host(), LostCommand.MAY_STILL_RUN);
            }
            return StepResult.changed("", Map.of());
        });
        TestSteps undoIt = TestSteps.ok("undo");
        Runbook rb = TestTriggers.runbook(serial(List.of(n(1)), 0, false),
                List.of(TestTriggers.onStep("two-failed", "two", TriggerAction.ROLLBACK_ALL)), List.of(one, two), List.of(undoIt));
        Harness h = new Harness();
        RunOutcome out = h.run(rb, hosts(3));
        assertEquals(List.of("web1:undo"), undoIt.type().calls());
        assertEquals(Map.of("web1", "rolled_back", "web2", "halted", "web3", "not_started"), out.hosts());
        assertEquals(ExitCodes.ROLLBACK_FAILED, out.exitCode(), out.message());
    }

    @Test
    void ignoreErrorsDoesNotLetTheHostGoOnBesideACommandThatMayStillRun() {
        TestSteps two = TestSteps.step("two", (ctx, call) -> {
            throw lost(ctx.host(), LostCommand.MAY_STILL_RUN);
        }).ignoreErrors();
        TestSteps three = TestSteps.ok("three");
        Harness h = new Harness();
        RunOutcome out = h.run(TestRunbooks.runbook(serial(List.of(n(1)), 0, false), one, two, three), hosts(1));
        assertEquals(List.of(), three.type().calls());
        assertEquals("halted", out.hosts().get("web1"));
        assertEquals(ExitCodes.ROLLBACK_FAILED, out.exitCode());
    }

    @Test
    void aTimedOutCommandNotConfirmedStoppedIsTreatedAsOneThatMayStillRunAndAStoppedOneIsRetried() {
        StepResult stillThere = new StepResult(StepResult.Outcome.TIMED_OUT, -1, "", "", "timed out after 2s: 'migrate'; it did not end"
                + " when stopped (TERM, then KILL) and may still be running on the host", Map.of(), java.time.Duration.ofSeconds(2), true);
        TestSteps two = TestSteps.step("two", (ctx, call) -> stillThere).retries(2, java.time.Duration.ofSeconds(1));
        Harness h = new Harness();
        RunOutcome out = h.run(withTrigger(TriggerAction.ROLLBACK, one, two), hosts(2));
        assertEquals(List.of("web1:two"), two.type().calls(), "no second attempt beside the first, and no other host starts");
        assertEquals(ExitCodes.HUMAN_MUST_ACT, out.exitCode(), out.message());
        assertEquals(List.of(), h.events.of(RunEvent.RollbackStarted.class), "nothing rolled back beside the command");
        assertTrue(out.message().contains("step 'two' timed out and its command may still be running there"), out.message());
        assertTrue(out.message().contains("trigger 'two-failed' fired but the host was not rolled back"), out.message());

        StepResult stopped = new StepResult(StepResult.Outcome.TIMED_OUT, -1, "", "", "timed out after 2s: 'migrate'", Map.of(),
                java.time.Duration.ofSeconds(2));
        TestSteps again = TestSteps.step("two", (ctx, call) -> call == 1 ? stopped : StepResult.changed("done", Map.of()))
                .retries(2, java.time.Duration.ofSeconds(1));
        Harness h2 = new Harness();
        assertEquals(ExitCodes.OK, h2.run(TestRunbooks.runbook(serial(List.of(n(1)), 0, false), again), hosts(1)).exitCode());
        assertEquals(2, again.type().calls().size(), "a timed-out command that was stopped is retried as before");
    }

    /** What the docker target throws when the ssh connection under a daemon call broke. */
    static TargetException dockerLost(String host, LostCommand command) {
        return new TargetException(TargetException.Kind.CONNECTION_LOST, host, "docker on host '" + host + "': running image"
                + " 'app:2' was cut short: the ssh connection to '" + host + ":22' broke (broken transport; encountered EOF)")
                .withLostCommand(command);
    }

    /** A step type that reports its target's errors itself (docker, kube, helm, prometheus), as they do. */
    private static TestSteps reporting(String id, LostCommand command) {
        return TestSteps.step(id, (ctx, call) -> {
            TargetException e = dockerLost(ctx.host(), command);
            return StepResult.targetFailure(e, e.getMessage(), java.time.Duration.ofSeconds(3));
        });
    }

    @Test
    void aStepTypeThatReportsItsOwnLostConnectionIsConnectionLostNotRetriedAndHaltsWhenTheChangeMayStillBeUnderWay() {
        TestSteps two = reporting("two", LostCommand.MAY_STILL_RUN).retries(2, java.time.Duration.ofSeconds(1));
        TestSteps three = TestSteps.ok("three");
        Harness h = new Harness();
        RunOutcome out = h.run(TestRunbooks.runbook(serial(List.of(n(1)), 5, true), one, two, three), hosts(2));
        assertEquals(List.of("web1:two"), two.type().calls(), "no second attempt beside the first, and no other host starts");
        assertEquals(List.of(), three.type().calls());
        assertEquals(ExitCodes.HUMAN_MUST_ACT, out.exitCode(), out.message());
        assertEquals(Map.of("web1", "halted", "web2", "not_started"), out.hosts());
        RunEvent.StepFinished finished = h.events.finished("web1", "two").get(0);
        assertEquals("connection_lost", finished.outcome(), finished.message());
        assertTrue(finished.message().startsWith("docker on host 'web1': running image 'app:2' was cut short: the ssh connection"),
                finished.message());
        assertTrue(finished.message().endsWith("; not retried (attempt 1 of 3): the step is not idempotent"), finished.message());
        assertTrue(out.message().contains("step 'two' lost its connection mid-way: its command may still be running, or its change may have been applied"),
                out.message());
    }

    @Test
    void anIdempotentStepThatReportsItsOwnLostConnectionIsRetriedAndTheRunGoesOn() {
        TestSteps two = TestSteps.step("two", (ctx, call) -> {
            if (call == 1) {
                TargetException e = dockerLost(ctx.host(), LostCommand.MAY_STILL_RUN);
                return StepResult.targetFailure(e, e.getMessage(), java.time.Duration.ofSeconds(3));
            }
            return StepResult.changed("started", Map.of());
        }).retries(1, java.time.Duration.ofSeconds(1)).idempotent();
        Harness h = new Harness();
        RunOutcome out = h.run(TestRunbooks.runbook(serial(List.of(n(1)), 0, false), one, two), hosts(1));
        assertEquals(ExitCodes.OK, out.exitCode(), out.message());
        assertEquals(List.of("web1:two", "web1:two"), two.type().calls(), "attempt 2 on a new connection");
        assertEquals("changed", h.events.finished("web1", "two").get(0).outcome());
    }

    @Test
    void aReportedLostConnectionWhoseChangeWasUndoneFailsTheStepWithoutAHaltAndALostReadIsAPlainFailureThatIsRetried() {
        TestSteps stopped = reporting("two", LostCommand.STOPPED).retries(2, java.time.Duration.ofSeconds(1));
        Harness h = new Harness();
        RunOutcome out = h.run(TestRunbooks.runbook(serial(List.of(n(1)), 0, false), one, stopped), hosts(1));
        assertEquals(List.of("web1:two"), stopped.type().calls(), "cut short: not run again unless idempotent");
        assertEquals(ExitCodes.FAILED, out.exitCode(), out.message());
        assertEquals("failed", out.hosts().get("web1"));
        assertEquals("connection_lost", h.events.finished("web1", "two").get(0).outcome());

        TestSteps read = TestSteps.step("two", (ctx, call) -> {
            if (call == 1) {
                TargetException e = dockerLost(ctx.host(), LostCommand.READ_ONLY);
                return StepResult.targetFailure(e, e.getMessage(), java.time.Duration.ofSeconds(3));
            }
            return StepResult.ok("3 containers", Map.of());
        }).retries(1, java.time.Duration.ofSeconds(1));
        Harness h2 = new Harness();
        assertEquals(ExitCodes.OK, h2.run(TestRunbooks.runbook(serial(List.of(n(1)), 0, false), one, read), hosts(1)).exitCode());
        assertEquals(2, read.type().calls().size(), "a read changed nothing: retried as any failure");
        assertEquals("ok", h2.events.finished("web1", "two").get(0).outcome());
    }

    @Test
    void aProbeWhoseConnectionBrokeIsNotSentAgainAndCountsAsHoldingSayingItCouldNotCheck() {
        for (LostCommand state : List.of(LostCommand.STOPPED, LostCommand.MAY_STILL_RUN, LostCommand.ENDED)) {
            TestSteps undo = TestSteps.ok("undo");
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            // a probe that changes something (a docker exec, a command): sent again, it would run twice
            dev.opsctl.runbook.model.Trigger blip = TestTriggers.probe("health", (ctx, call) -> {
                if (calls.incrementAndGet() == 1) {
                    throw lost(ctx.host(), state);
                }
                return StepResult.ok("", Map.of("stdout", "up"));
            }, "stdout == 'down'", Optional.empty(), java.time.Duration.ofSeconds(10), 1, TriggerAction.ROLLBACK);
            Harness h = new Harness();
            RunOutcome fired = h.run(TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(blip), List.of(one),
                    List.of(undo)), hosts(1));
            assertEquals(1, calls.get(), state + ": not sent again");
            assertEquals(ExitCodes.ROLLED_BACK, fired.exitCode(), fired.message());
            // its placeholder fields (an empty stdout) would read as healthy
            assertEquals("could not check (" + lost("web1", state).getMessage() + "), so 'stdout == 'down'' counts as holding",
                    h.events.of(RunEvent.TriggerFired.class).get(0).evidence());
        }
    }

    @Test
    void aProbeWhoseTargetFailedWithARemoteErrorOrItsOwnTimeLimitCouldNotCheckAndCountsAsHolding() {
        for (TargetException failed : List.of(TargetException.remoteFailed("web1", "host 'web1': running 'app-state' failed: open failed"),
                new TargetException(TargetException.Kind.TIMEOUT, "web1", "docker daemon on host 'web1' did not answer within 60s"))) {
            TestSteps undo = TestSteps.ok("undo");
            // its placeholder fields (an empty stdout) would read as healthy
            dev.opsctl.runbook.model.Trigger t = TestTriggers.probe("health", (ctx, call) -> {
                throw failed;
            }, "stdout == 'down'", Optional.empty(), java.time.Duration.ofSeconds(10), 1, TriggerAction.ROLLBACK);
            Harness h = new Harness();
            RunOutcome fired = h.run(TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(t), List.of(one), List.of(undo)),
                    hosts(1));
            assertEquals(ExitCodes.ROLLED_BACK, fired.exitCode(), fired.message());
            assertEquals("could not check (" + failed.getMessage() + "), so 'stdout == 'down'' counts as holding",
                    h.events.of(RunEvent.TriggerFired.class).get(0).evidence());
        }
    }

    @Test
    void aProbeThatTimedOutCouldNotCheckAndCountsAsHoldingNotAsItsEmptyOutputWouldRead() {
        TestSteps undo = TestSteps.ok("undo");
        // a health command that hung: no output, which 'stdout == 'down'' would read as healthy
        dev.opsctl.runbook.model.Trigger hung = TestTriggers.probe("health", (ctx, call) -> new StepResult(StepResult.Outcome.TIMED_OUT,
                -1, "", "", "timed out after 10s (the command was stopped)", Map.of(), java.time.Duration.ofSeconds(10)),
                "stdout == 'down'", Optional.empty(), java.time.Duration.ofSeconds(10), 1, TriggerAction.ROLLBACK);
        Harness h = new Harness();
        RunOutcome fired = h.run(TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(hung), List.of(one), List.of(undo)),
                hosts(1));
        assertEquals(ExitCodes.ROLLED_BACK, fired.exitCode(), fired.message());
        assertEquals(List.of("web1:undo"), undo.type().calls());
        assertEquals("could not check (timed out after 10s (the command was stopped)), so 'stdout == 'down'' counts as holding",
                h.events.of(RunEvent.TriggerFired.class).get(0).evidence());
    }
}
