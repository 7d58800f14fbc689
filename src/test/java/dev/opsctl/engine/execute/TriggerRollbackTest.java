package dev.opsctl.engine.execute;

import static dev.opsctl.engine.fakes.TestRunbooks.hosts;
import static dev.opsctl.engine.fakes.TestRunbooks.n;
import static dev.opsctl.engine.fakes.TestRunbooks.serial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.StepResult;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.Harness;
import dev.opsctl.engine.fakes.TestSteps;
import dev.opsctl.engine.fakes.TestTriggers;
import dev.opsctl.event.RunEvent;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Trigger;
import dev.opsctl.runbook.model.TriggerAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TriggerRollbackTest {
    private final TestSteps drain = TestSteps.ok("drain");
    private final TestSteps backup = TestSteps.step("backup-config", (ctx, call) -> StepResult.changed("saved",
            Map.of("manifest", "/var/backups/" + ctx.host())));
    private final TestSteps restart = TestSteps.step("restart-docker", (ctx, call) -> ctx.host().equals("web2")
            ? StepResult.failed("exit 1 from 'systemctl restart docker'", Map.of())
            : StepResult.changed("restarted", Map.of()));
    private final TestSteps restore = TestSteps.step("rb-restore", (ctx, call) -> StepResult.changed(
            "restored " + ctx.render("{{ steps.backup-config.manifest }}"), Map.of()));
    private final TestSteps restartBack = TestSteps.ok("rb-restart");

    private Runbook userns(List<Trigger> triggers) {
        return TestTriggers.runbook(serial(List.of(n(1)), 0, false), triggers, List.of(drain, backup, restart),
                List.of(restore, restartBack));
    }

    private static List<String> rollbackHosts(Harness h) {
        return h.events.of(RunEvent.RollbackStarted.class).stream().map(RunEvent.RollbackStarted::host).toList();
    }

    @Test
    void aStepFailedTriggerRollsBackOnlyThatHostWithItsScopeAndExits3() {
        Harness h = new Harness();
        RunOutcome out = h.run(userns(List.of(TestTriggers.onStep("docker-did-not-start", "restart-docker", TriggerAction.ROLLBACK))),
                hosts(3));
        assertEquals(ExitCodes.ROLLED_BACK, out.exitCode(), out.message());
        assertEquals("rolled_back", out.status());
        assertEquals(Map.of("web1", "ok", "web2", "rolled_back", "web3", "not_started"), out.hosts());
        assertEquals(List.of("web2:rb-restore"), restore.type().calls(), "only web2 is rolled back");
        assertEquals(List.of("web2:rb-restart"), restartBack.type().calls());
        assertEquals(List.of("web1:drain", "web2:drain"), drain.type().calls(), "web3 never started");
        RunEvent.StepFinished restored = h.events.finished("web2", "rb-restore").get(0);
        assertEquals("restored /var/backups/web2", restored.message(), "the forward steps' results are in the rollback's scope");
        RunEvent.TriggerFired fired = h.events.of(RunEvent.TriggerFired.class).get(0);
        assertEquals("web2", fired.host());
        assertEquals("docker-did-not-start", fired.trigger());
        assertEquals("rollback", fired.action());
        assertFalse(fired.dryRun());
        assertEquals("restart-docker", fired.values().get("step"));
        RunEvent.RollbackFinished done = h.events.of(RunEvent.RollbackFinished.class).get(0);
        assertTrue(done.succeeded());
        assertTrue(out.message().contains("host 'web2': rolled back after trigger 'docker-did-not-start'"), out.message());
        assertTrue(out.message().endsWith("; trigger 'docker-did-not-start' fired on host 'web2': rolled back; no further host starts"),
                out.message());
    }

    @Test
    void aFailedStepWithoutAMatchingTriggerKeepsTodaysBehaviour() {
        Harness h = new Harness();
        RunOutcome out = h.run(userns(List.of(TestTriggers.onStep("other", "drain", TriggerAction.ROLLBACK))), hosts(3));
        assertEquals(ExitCodes.FAILED, out.exitCode());
        assertEquals("failed", out.hosts().get("web2"));
        assertEquals(List.of(), restore.type().calls(), "no automatic rollback");
    }

    @Test
    void aFailedRollbackExits4AndNamesTheRollbackStepThatFailed() {
        TestSteps badRestore = TestSteps.step("rb-restore", (ctx, call) -> StepResult.failed("sha256 mismatch", Map.of()));
        Runbook rb = TestTriggers.runbook(serial(List.of(n(1)), 0, false),
                List.of(TestTriggers.onStep("t", "restart-docker", TriggerAction.ROLLBACK)), List.of(drain, backup, restart),
                List.of(badRestore, restartBack));
        Harness h = new Harness();
        RunOutcome out = h.run(rb, hosts(3));
        assertEquals(ExitCodes.ROLLBACK_FAILED, out.exitCode());
        assertEquals("rollback_failed", out.status());
        assertEquals("rollback_failed", out.hosts().get("web2"));
        assertEquals(List.of(), restartBack.type().calls(), "the rollback stops at its first failed step");
        RunEvent.HostFinished web2 = h.events.of(RunEvent.HostFinished.class).stream().filter(e -> e.host().equals("web2")).findFirst()
                .orElseThrow();
        assertTrue(web2.message().contains("rollback step 'rb-restore' failed: sha256 mismatch"), web2.message());
        assertTrue(out.message().contains("rollback step 'rb-restore' failed"), out.message());
        assertTrue(out.message().endsWith("; trigger 't' fired on host 'web2': its rollback failed; no further host starts"),
                "says what happened, not that it is rolled back: " + out.message());
        assertTrue(h.events.of(RunEvent.RunHalted.class).get(0).reason().endsWith("rolling it back; no further host starts"),
                "when it halts, the rollback is still to come");
    }

    @Test
    void aRunbookWithoutRollbackStepsCannotRollBackAndSaysSo() {
        Runbook rb = TestTriggers.runbook(serial(List.of(n(1)), 0, false),
                List.of(TestTriggers.onStep("t", "restart-docker", TriggerAction.ROLLBACK)), List.of(restart), List.of());
        RunOutcome out = new Harness().run(rb, hosts(2));
        assertEquals(ExitCodes.ROLLBACK_FAILED, out.exitCode());
        assertTrue(out.message().contains("no rollback steps"), out.message());
    }

    @Test
    void rollbackAllRollsBackTheFiringHostThenEveryHostThatRanLatestFirst() {
        TestSteps restart3 = TestSteps.step("restart-docker", (ctx, call) -> ctx.host().equals("web3")
                ? StepResult.failed("exit 1", Map.of()) : StepResult.changed("", Map.of()));
        Runbook rb = TestTriggers.runbook(serial(List.of(n(1)), 0, false),
                List.of(TestTriggers.onStep("t", "restart-docker", TriggerAction.ROLLBACK_ALL)), List.of(drain, backup, restart3),
                List.of(restore, restartBack));
        Harness h = new Harness();
        RunOutcome out = h.run(rb, hosts(4));
        assertEquals(ExitCodes.ROLLED_BACK, out.exitCode(), out.message());
        assertEquals(List.of("web3", "web2", "web1"), rollbackHosts(h));
        assertEquals(Map.of("web1", "rolled_back", "web2", "rolled_back", "web3", "rolled_back", "web4", "not_started"), out.hosts());
        assertEquals(List.of("web3:rb-restore", "web2:rb-restore", "web1:rb-restore"), restore.type().calls());
        RunEvent.StepFinished web1 = h.events.finished("web1", "rb-restore").get(0);
        assertEquals("restored /var/backups/web1", web1.message(), "a done host's scope is kept for its rollback");
    }

    @Test
    void haltStopsTheRolloutAndLeavesEveryHostAsItIs() {
        Harness h = new Harness();
        RunOutcome out = h.run(userns(List.of(TestTriggers.onStep("t", "restart-docker", TriggerAction.HALT))), hosts(3));
        assertEquals(ExitCodes.FAILED, out.exitCode());
        assertEquals("halted", out.status());
        assertEquals(Map.of("web1", "ok", "web2", "halted", "web3", "not_started"), out.hosts());
        assertEquals(List.of(), restore.type().calls());
    }

    @Test
    void askInANonInteractiveRunTakesTheTriggersOnTimeoutDefault() {
        Trigger rollbackByDefault = TestTriggers.ask(TestTriggers.onStep("t", "restart-docker", TriggerAction.ASK), Optional.empty(),
                TriggerAction.ROLLBACK);
        Harness h = new Harness();
        RunOutcome out = h.run(userns(List.of(rollbackByDefault)), hosts(3));
        assertEquals(ExitCodes.ROLLED_BACK, out.exitCode());
        assertTrue(h.events.of(RunEvent.Notice.class).stream().anyMatch(n -> n.message().contains("doing 'rollback' (on_timeout)")));
        Trigger haltByDefault = TestTriggers.ask(TestTriggers.onStep("t", "restart-docker", TriggerAction.ASK), Optional.empty(),
                TriggerAction.HALT);
        RunOutcome halted = new Harness().run(userns(List.of(haltByDefault)), hosts(3));
        assertEquals(ExitCodes.FAILED, halted.exitCode());
        assertEquals("halted", halted.hosts().get("web2"));
    }

    @Test
    void askWaitsForTheOperatorWithTheDeadlineAndAppliesTheirChoice() {
        List<String> asked = new ArrayList<>();
        List<Optional<Duration>> deadlines = new ArrayList<>();
        Harness h = new Harness();
        h.operator = new Operator() {
            @Override
            public boolean present() {
                return true;
            }

            @Override
            public Optional<String> choose(String question, List<String> choices, Optional<Duration> deadline) {
                asked.add(question + " " + choices);
                deadlines.add(deadline);
                return Optional.of("continue");
            }
        };
        Trigger t = TestTriggers.ask(TestTriggers.probe("latency", (ctx, call) -> StepResult.ok("", Map.of("value", 45L)),
                "value > 30", Optional.empty(), Duration.ofSeconds(10), 1, TriggerAction.ASK), Optional.of(Duration.ofMinutes(3)),
                TriggerAction.ROLLBACK);
        RunOutcome out = h.run(TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(t), List.of(drain), List.of(restore)),
                hosts(2));
        assertEquals(ExitCodes.OK, out.exitCode(), "the operator chose to continue");
        assertEquals(2, asked.size());
        assertTrue(asked.get(0).contains("value=45") && asked.get(0).contains("[rollback, continue, halt]"), asked.get(0));
        assertEquals(Optional.of(Duration.ofMinutes(3)), deadlines.get(0));
        assertEquals(List.of(), restore.type().calls());
        assertEquals(List.of("operator 'alice' answered 'continue' to trigger 'latency' on host 'web1': the host goes on although "
                + "the trigger fired", "operator 'alice' answered 'continue' to trigger 'latency' on host 'web2': the host goes on although "
                + "the trigger fired"), h.events.of(RunEvent.Notice.class).stream().map(RunEvent.Notice::message)
                .filter(m -> m.startsWith("operator")).toList(), "the journal keeps who answered what");
    }

    @Test
    void theOperatorsAnswerToAPauseIsJournaledWithWhoGaveIt() {
        Harness h = new Harness();
        h.operator = new Operator() {
            @Override
            public boolean present() {
                return true;
            }

            @Override
            public Optional<String> choose(String question, List<String> choices, Optional<Duration> deadline) {
                return Optional.of("rollback");
            }
        };
        Trigger pause = new Trigger("p", Optional.of(new Trigger.StepFailure(Optional.of("restart-docker"), Optional.empty())),
                Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(10), 1, TriggerAction.PAUSE, Optional.empty(),
                TriggerAction.ROLLBACK, dev.opsctl.source.SourcePos.NONE);
        RunOutcome out = h.run(userns(List.of(pause)), hosts(3));
        assertEquals(ExitCodes.ROLLED_BACK, out.exitCode());
        RunEvent.Notice answer = h.events.of(RunEvent.Notice.class).stream().filter(n -> n.message().startsWith("operator"))
                .findFirst().orElseThrow(() -> new AssertionError(h.events.all().toString()));
        assertEquals("operator 'alice' answered 'rollback' to trigger 'p' on host 'web2'", answer.message());
        assertEquals("web2", answer.host());
    }

    @Test
    void pauseHaltsANonInteractiveRun() {
        Trigger pause = new Trigger("p", Optional.of(new Trigger.StepFailure(Optional.of("restart-docker"), Optional.empty())),
                Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(10), 1, TriggerAction.PAUSE, Optional.empty(),
                TriggerAction.ROLLBACK, dev.opsctl.source.SourcePos.NONE);
        RunOutcome out = new Harness().run(userns(List.of(pause)), hosts(3));
        assertEquals(ExitCodes.FAILED, out.exitCode());
        assertEquals("halted", out.hosts().get("web2"));
    }

    @Test
    void dryRunTriggersReportsWhatWouldFireWithoutActing() {
        Harness h = new Harness();
        h.dryRunTriggers = true;
        Trigger health = TestTriggers.probe("health-500", (ctx, call) -> StepResult.ok("", Map.of("status", 500L)), "status >= 500",
                Optional.empty(), Duration.ofSeconds(10), 1, TriggerAction.ROLLBACK);
        RunOutcome out = h.run(TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(health), List.of(drain), List.of(restore)),
                hosts(2));
        assertEquals(ExitCodes.OK, out.exitCode());
        List<RunEvent.TriggerFired> fired = h.events.of(RunEvent.TriggerFired.class);
        assertEquals(2, fired.size());
        assertTrue(fired.stream().allMatch(RunEvent.TriggerFired::dryRun));
        assertEquals(500L, fired.get(0).values().get("status"));
        assertEquals(List.of(), restore.type().calls());
    }

    @Test
    void aMonitorStepFiresOnceTheConditionHeldForItsWindowOnTheFakeClock() {
        Harness h = new Harness();
        Instant t0 = h.clock.instant();
        Trigger latency = TestTriggers.probe("start-latency", (ctx, call) -> StepResult.ok("",
                Map.of("value", ctx.clock().instant().isBefore(t0.plus(Duration.ofMinutes(2))) ? 5L : 45L)), "value > 30",
                Optional.of(Duration.ofMinutes(5)), Duration.ofSeconds(10), 1, TriggerAction.ROLLBACK);
        TestSteps monitor = TestSteps.step("monitor", (ctx, call) -> {
            var w = ctx.watch(Duration.ofMinutes(30), Duration.ofSeconds(10), dev.opsctl.action.WatchTick.NONE);
            return w.state() == dev.opsctl.action.WatchOutcome.State.QUIET ? StepResult.ok("quiet", Map.of())
                    : StepResult.failed(w.reason(), Map.of());
        });
        RunOutcome out = h.run(TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(latency), List.of(monitor),
                List.of(restartBack)), hosts(1));
        assertEquals(ExitCodes.ROLLED_BACK, out.exitCode(), out.message());
        assertEquals(t0.plus(Duration.ofMinutes(7)), h.events.of(RunEvent.TriggerFired.class).get(0).time(),
                "pending from 2m, firing 5m later");
    }

    /** The brief's case: an error rate over its threshold for 5 minutes, which began 3 minutes before the 5-minute watch ended. */
    @Test
    void aTriggerPendingWhenTheLastStepEndsIsWatchedOnAndRollsTheHostBackWhenItsWindowIsFull() {
        Harness h = new Harness();
        Instant t0 = h.clock.instant();
        Trigger errors = TestTriggers.probe("error-rate", (ctx, call) -> StepResult.ok("",
                Map.of("value", ctx.clock().instant().isBefore(t0.plus(Duration.ofMinutes(2))) ? 0L : 9L)), "value > 5",
                Optional.of(Duration.ofMinutes(5)), Duration.ofSeconds(30), 1, TriggerAction.ROLLBACK);
        TestSteps monitor = TestSteps.step("monitor", (ctx, call) -> {
            var w = ctx.watch(Duration.ofMinutes(5), Duration.ofSeconds(10), dev.opsctl.action.WatchTick.NONE);
            return StepResult.ok(w.state().toString(), Map.of());
        });
        RunOutcome out = h.run(TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(errors), List.of(monitor),
                List.of(restartBack)), hosts(2));
        assertEquals(ExitCodes.ROLLED_BACK, out.exitCode(), out.message());
        assertEquals(Map.of("web1", "rolled_back", "web2", "not_started"), out.hosts(), "not ok, and the rollout stops");
        assertEquals("QUIET", h.events.finished("web1", "monitor").get(0).message(), "the watch ended with the trigger pending");
        assertEquals(t0.plus(Duration.ofMinutes(7)), h.events.of(RunEvent.TriggerFired.class).get(0).time(),
                "pending from 2m, firing 5m later, after the steps");
        assertTrue(h.events.of(RunEvent.Notice.class).stream().anyMatch(n -> n.message().equals("host 'web1' finished its steps while"
                + " trigger 'error-rate' was pending: watching it until it fires or clears (at most 3m)")),
                h.events.of(RunEvent.Notice.class).toString());
        assertEquals(List.of("web1:rb-restart"), restartBack.type().calls());
    }

    @Test
    void aTriggerPendingWhenTheLastStepEndsThatClearsLetsTheHostFinishOk() {
        Harness h = new Harness();
        Instant t0 = h.clock.instant();
        Trigger errors = TestTriggers.probe("error-rate", (ctx, call) -> StepResult.ok("",
                Map.of("value", ctx.clock().instant().isBefore(t0.plus(Duration.ofSeconds(30))) ? 9L : 0L)), "value > 5",
                Optional.of(Duration.ofMinutes(5)), Duration.ofSeconds(30), 1, TriggerAction.ROLLBACK);
        RunOutcome out = h.run(TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(errors), List.of(drain),
                List.of(restartBack)), hosts(2));
        assertEquals(ExitCodes.OK, out.exitCode(), out.message());
        assertEquals(Map.of("web1", "ok", "web2", "ok"), out.hosts());
        assertEquals(List.of(), restartBack.type().calls());
        assertEquals(t0.plus(Duration.ofSeconds(30)), h.clock.instant(), "web1 watched one interval more, until it cleared; web2 never"
                + " pending");
    }

    @Test
    void aMonitorStepWatchesItsWholeDurationWhenNothingFires() {
        Harness h = new Harness();
        Instant t0 = h.clock.instant();
        List<Instant> samples = new ArrayList<>();
        Trigger health = TestTriggers.probe("health", (ctx, call) -> {
            samples.add(ctx.clock().instant());
            return StepResult.ok("", Map.of("status", 200L));
        }, "status >= 500", Optional.empty(), Duration.ofSeconds(10), 1, TriggerAction.ROLLBACK);
        TestSteps monitor = TestSteps.step("monitor", (ctx, call) -> {
            var w = ctx.watch(Duration.ofMinutes(5), Duration.ofSeconds(10), dev.opsctl.action.WatchTick.NONE);
            return StepResult.ok(w.state() + " " + w.samples(), Map.of());
        });
        RunOutcome out = h.run(TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(health), List.of(monitor),
                List.of(restore)), hosts(1));
        assertEquals(ExitCodes.OK, out.exitCode());
        assertEquals("QUIET 31", h.events.finished("web1", "monitor").get(0).message());
        assertEquals(t0.plus(Duration.ofMinutes(5)), h.clock.instant());
        assertEquals(32, samples.size(), "31 ticks while watching, then once after the step");
    }

    @Test
    void aLongPauseSamplesTheProbeTriggersAndEndsWhenOneFires() {
        Harness h = new Harness();
        Instant t0 = h.clock.instant();
        Trigger health = TestTriggers.probe("health", (ctx, call) -> StepResult.ok("", Map.of("status",
                ctx.clock().instant().isBefore(t0.plus(Duration.ofSeconds(65))) ? 200L : 500L)), "status >= 500", Optional.empty(),
                Duration.ofSeconds(10), 1, TriggerAction.ROLLBACK);
        TestSteps pause = TestSteps.step("wait-ready", (ctx, call) -> {
            ctx.sleep(Duration.ofMinutes(5));
            return StepResult.ok("slept", Map.of());
        });
        TestSteps after = TestSteps.ok("after");
        RunOutcome out = h.run(TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(health), List.of(pause, after),
                List.of(restartBack)), hosts(1));
        assertEquals(ExitCodes.ROLLED_BACK, out.exitCode(), out.message());
        RunEvent.TriggerFired fired = h.events.of(RunEvent.TriggerFired.class).get(0);
        assertEquals(List.of("health", t0.plus(Duration.ofSeconds(70))), List.of(fired.trigger(), fired.time()),
                "noticed at the first sample after the probe failed, not after the 5m pause");
        RunEvent.StepFinished step = h.events.finished("web1", "wait-ready").get(0);
        assertEquals("failed", step.outcome());
        assertTrue(step.message().startsWith("ended early: trigger 'health' fired: "), step.message());
        assertEquals(List.of(), after.type().calls());
        assertEquals(List.of("web1"), rollbackHosts(h));
    }

    @Test
    void aPauseWithoutProbeTriggersIsOneSleepAndAQuietOneSamplesAtTheTriggerInterval() {
        Harness quiet = new Harness();
        List<Instant> samples = new ArrayList<>();
        Trigger health = TestTriggers.probe("health", (ctx, call) -> {
            samples.add(ctx.clock().instant());
            return StepResult.ok("", Map.of("status", 200L));
        }, "status >= 500", Optional.empty(), Duration.ofSeconds(30), 1, TriggerAction.ROLLBACK);
        TestSteps pause = TestSteps.step("settle", (ctx, call) -> {
            ctx.sleep(Duration.ofMinutes(5));
            return StepResult.ok("slept", Map.of());
        });
        assertEquals(ExitCodes.OK, quiet.run(TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(health), List.of(pause),
                List.of()), hosts(1)).exitCode());
        assertEquals(11, samples.size(), "10 samples in the 5m pause at 30s, then once after the step");
        assertEquals(Duration.ofSeconds(30), quiet.clock.sleeps.get(0));

        Harness none = new Harness();
        assertEquals(ExitCodes.OK, none.run(TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(), List.of(pause),
                List.of()), hosts(1)).exitCode());
        assertEquals(List.of(Duration.ofMinutes(5)), none.clock.sleeps);
    }

    @Test
    void aResumedHostThatWasRolledBackIsNeverRolledBackAgain() {
        Harness h = new Harness();
        h.resume = Map.of("web1", new HostResume(true, Map.of()), "web2", new HostResume(true, Map.of(), "rolled_back"));
        RunOutcome out = h.run(userns(List.of(TestTriggers.onStep("t", "restart-docker", TriggerAction.ROLLBACK))), hosts(2));
        assertEquals(List.of(), restore.type().calls());
        assertEquals(List.of(), drain.type().calls());
        assertEquals(ExitCodes.ROLLED_BACK, out.exitCode(), "the run's outcome still says a host was rolled back");
        assertEquals(Map.of("web1", "ok", "web2", "rolled_back"), out.hosts());
    }
}
