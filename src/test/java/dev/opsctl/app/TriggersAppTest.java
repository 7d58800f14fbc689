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
import dev.opsctl.engine.journal.RunState;
import dev.opsctl.engine.plan.PlannedTrigger;
import dev.opsctl.event.RunEvent;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Trigger;
import dev.opsctl.runbook.model.TriggerAction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Triggers through the app: journaled firings and rollbacks, resume after a rollback, runs rollback, plan. */
class TriggersAppTest {
    @TempDir
    Path tmp;

    private final TestSteps backup = TestSteps.step("backup-config", (ctx, call) -> StepResult.changed("saved",
            Map.of("manifest", "/var/backups/" + ctx.host())));
    private final TestSteps restart = TestSteps.step("restart-docker", (ctx, call) -> ctx.host().equals("web2")
            ? StepResult.failed("exit 1 from 'systemctl restart docker'", Map.of())
            : StepResult.changed("restarted", Map.of()));
    private final TestSteps restore = TestSteps.step("rb-restore", (ctx, call) -> StepResult.changed(
            "restored " + ctx.render("{{ steps.backup-config.manifest }}"), Map.of()));

    private Runbook runbook(List<Trigger> triggers) {
        return TestTriggers.runbook(serial(List.of(n(1)), 0, false), triggers, List.of(backup, restart), List.of(restore));
    }

    private static String onlyRunId(AppFixture f) throws OpsctlException {
        return f.services().history().list().get(0).runId();
    }

    @Test
    void aFiredTriggerAndItsRollbackAreJournaledAndAResumeNeverRunsTheRollbackAgain() throws Exception {
        AppFixture f = new AppFixture(tmp, runbook(List.of(TestTriggers.onStep("docker-did-not-start", "restart-docker",
                TriggerAction.ROLLBACK))), hosts(3));
        assertEquals(ExitCodes.ROLLED_BACK, f.services().runs().run(f.request(), f.events));
        String id = onlyRunId(f);
        RunState st = f.services().history().show(id);
        assertEquals(Optional.of("rolled_back"), st.status());
        assertEquals(Optional.of(3), st.exitCode());
        assertEquals(Optional.of("rolled_back"), st.hosts().get("web2").status());
        assertEquals(Optional.of("succeeded"), st.hosts().get("web2").rollback());
        assertEquals(Optional.of("ok"), st.hosts().get("web1").status());
        assertEquals(Optional.empty(), st.hosts().get("web3").status(), "web3 never started");
        assertEquals(List.of("web2:rb-restore"), restore.type().calls());

        int resumed = f.services().history().resume(ResumeRequest.of(id), f.events);
        assertEquals(ExitCodes.ROLLED_BACK, resumed, "the run still rolled a host back");
        assertEquals(List.of("web2:rb-restore"), restore.type().calls(), "no second rollback of web2");
        assertEquals(List.of("web1:restart-docker", "web2:restart-docker", "web3:restart-docker"), restart.type().calls(),
                "web2 is not re-run forward either; web3 now runs");
        RunState after = f.services().history().show(id);
        assertEquals(Optional.of("ok"), after.hosts().get("web3").status());
        assertEquals(Optional.of("rolled_back"), after.hosts().get("web2").status());
    }

    @Test
    void runsRollbackRollsBackEveryHostThatStartedFromTheJournaledScopeLatestFirst() throws Exception {
        AppFixture f = new AppFixture(tmp, runbook(List.of()), hosts(3));
        assertEquals(ExitCodes.FAILED, f.services().runs().run(f.request(), f.events), "no trigger: a failed host, no rollback");
        String id = onlyRunId(f);
        assertEquals(List.of(), restore.type().calls());

        int code = f.services().history().rollback(RollbackRequest.of(id), f.events);
        assertEquals(ExitCodes.ROLLED_BACK, code);
        assertEquals(List.of("web2:rb-restore", "web1:rb-restore"), restore.type().calls());
        List<String> messages = f.events.of(RunEvent.StepFinished.class).stream().filter(e -> e.step().equals("rb-restore"))
                .map(RunEvent.StepFinished::message).toList();
        assertEquals(List.of("restored /var/backups/web2", "restored /var/backups/web1"), messages,
                "the backup's result is read back from the journal");
        RunState st = f.services().history().show(id);
        assertEquals(Optional.of("rolled_back"), st.hosts().get("web1").status());
        assertEquals(Optional.of("succeeded"), st.hosts().get("web2").rollback());

        assertEquals(0, f.services().history().rollback(RollbackRequest.of(id), f.events), "nothing left to roll back");
        assertEquals(ExitCodes.ROLLED_BACK, f.services().history().rollback(RollbackRequest.of(id).withHosts(List.of("web1")), f.events),
                "a named host is rolled back as asked");
        assertEquals(3, restore.type().calls().size());
        OpsctlException e = assertThrows(OpsctlException.class,
                () -> f.services().history().rollback(RollbackRequest.of(id).withHosts(List.of("web9")), f.events));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("host 'web9' is not part of run"), e.getMessage());
    }

    @Test
    void runsRollbackRefusesToApplyAValueTheJournalKeptOnlyInPart() throws Exception {
        TestSteps bigStdout = TestSteps.step("backup-config", (ctx, call) -> new StepResult(StepResult.Outcome.CHANGED, 0,
                "apiVersion: v1\n" + "#".repeat(70_000), "", "saved", Map.of(), Duration.ZERO));
        TestSteps apply = TestSteps.step("rb-restore", (ctx, call) -> StepResult.changed(
                "applied " + ctx.render("{{ steps.backup-config.stdout }}").length(), Map.of()));
        AppFixture f = new AppFixture(tmp, TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(),
                List.of(bigStdout, restart), List.of(apply)), hosts(1));
        assertEquals(0, f.services().runs().run(f.request(), f.events));

        assertEquals(ExitCodes.ROLLBACK_FAILED, f.services().history().rollback(RollbackRequest.of(onlyRunId(f)), f.events));
        String message = f.events.of(RunEvent.StepFinished.class).stream().filter(e -> e.step().equals("rb-restore")).findFirst()
                .orElseThrow().message();
        assertTrue(message.contains("'steps.backup-config.stdout' cannot be read back from the run's journal: it was over 64K characters"),
                message);
    }

    @Test
    void runsRollbackNeedsOnlyTheHostsItRollsBackInTheInventory() throws Exception {
        AppFixture f = new AppFixture(tmp, runbook(List.of()), hosts(3));
        assertEquals(ExitCodes.FAILED, f.services().runs().run(f.request(), f.events));
        String id = onlyRunId(f);
        List<dev.opsctl.inventory.Host> left = f.inventory.hosts().stream().filter(h -> !h.name().equals("web1")).toList();
        f.inventory = new dev.opsctl.inventory.Inventory("inv.yaml", left, Map.of("all", List.of("web2", "web3")));

        assertEquals(ExitCodes.ROLLED_BACK, f.services().history().rollback(RollbackRequest.of(id).withHosts(List.of("web2")), f.events),
                "web1, decommissioned since, is not needed to roll web2 back");
        assertEquals(List.of("web2:rb-restore"), restore.type().calls());
        OpsctlException e = assertThrows(OpsctlException.class, () -> f.services().history().rollback(RollbackRequest.of(id), f.events));
        assertTrue(e.getMessage().startsWith("host 'web1' of run " + id + " is no longer in inventory '"), e.getMessage());
    }

    @Test
    void runsListSaysRunningWhileARollbackOfSomeOfTheHostsRuns() throws Exception {
        java.util.concurrent.atomic.AtomicReference<AppFixture> fixture = new java.util.concurrent.atomic.AtomicReference<>();
        List<String> seen = new java.util.ArrayList<>();
        TestSteps look = AppFixture.listing("rb-look", fixture, seen);
        AppFixture f = new AppFixture(tmp, TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(), List.of(backup, restart),
                List.of(look)), hosts(3));
        fixture.set(f);
        assertEquals(ExitCodes.FAILED, f.services().runs().run(f.request(), f.events));
        String id = onlyRunId(f);

        // the rollback locks web2 alone; web1, the run's first host, is not locked by it
        assertEquals(ExitCodes.ROLLED_BACK, f.services().history().rollback(RollbackRequest.of(id).withHosts(List.of("web2")), f.events));
        assertEquals(List.of("running"), seen);
    }

    @Test
    void aSecondRollbackOfTheSameRunIsRefusedWhileTheFirstRunsEvenOnOtherHosts() throws Exception {
        // both would append to the run's journal; each host lock alone let them through (found by review)
        java.util.concurrent.CountDownLatch inStep = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        TestSteps slow = TestSteps.step("rb-restore", (ctx, call) -> {
            inStep.countDown();
            release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            return StepResult.changed("restored", Map.of());
        });
        AppFixture f = new AppFixture(tmp, TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(), List.of(backup, restart),
                List.of(slow)), hosts(3));
        assertEquals(ExitCodes.FAILED, f.services().runs().run(f.request(), f.events));
        String id = onlyRunId(f);
        java.util.concurrent.CompletableFuture<Integer> first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return f.services().history().rollback(RollbackRequest.of(id).withHosts(List.of("web2")), f.events);
            } catch (OpsctlException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertTrue(inStep.await(20, java.util.concurrent.TimeUnit.SECONDS));
            OpsctlException e = assertThrows(OpsctlException.class,
                    () -> f.services().history().rollback(RollbackRequest.of(id).withHosts(List.of("web1")), f.events));
            assertTrue(e.getMessage().startsWith("run " + id + " is already being resumed or rolled back: by (pid "), e.getMessage());
        } finally {
            release.countDown();
        }
        assertEquals(ExitCodes.ROLLED_BACK, first.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(ExitCodes.ROLLED_BACK, f.services().history().rollback(RollbackRequest.of(id).withHosts(List.of("web1")), f.events),
                "once the first is done");
        RunState st = f.services().history().show(id);
        assertEquals(Optional.of("succeeded"), st.hosts().get("web2").rollback());
        assertEquals(Optional.of("succeeded"), st.hosts().get("web1").rollback());
    }

    @Test
    void aFailedRollbackFromRunsRollbackExits4() throws Exception {
        TestSteps bad = TestSteps.step("rb-restore", (ctx, call) -> StepResult.failed("sha256 mismatch", Map.of()));
        AppFixture f = new AppFixture(tmp, TestTriggers.runbook(serial(List.of(n(1)), 0, false), List.of(),
                List.of(backup, restart), List.of(bad)), hosts(2));
        f.services().runs().run(f.request(), f.events);
        assertEquals(ExitCodes.ROLLBACK_FAILED, f.services().history().rollback(RollbackRequest.of(onlyRunId(f)), f.events));
        RunState st = f.services().history().show(onlyRunId(f));
        assertEquals(Optional.of("rollback_failed"), st.hosts().get("web2").status());
    }

    @Test
    void planListsEachTriggerWithWhatItWouldDo() throws Exception {
        Trigger latency = TestTriggers.ask(TestTriggers.probe("start-latency", (ctx, call) -> StepResult.ok("", Map.of()), "value > 30",
                Optional.of(Duration.ofMinutes(5)), Duration.ofSeconds(15), 1, TriggerAction.ASK), Optional.of(Duration.ofMinutes(10)),
                TriggerAction.HALT);
        AppFixture f = new AppFixture(tmp, runbook(List.of(TestTriggers.onStep("docker-did-not-start", Optional.of("restart-docker"),
                Optional.of("exit"), TriggerAction.ROLLBACK), latency)), hosts(2));
        List<PlannedTrigger> ts = f.services().plans().plan(f.request()).triggers();
        assertEquals(2, ts.size());
        assertEquals("step 'restart-docker' failed (exit)", ts.get(0).condition());
        assertEquals("rollback", ts.get(0).action());
        assertTrue(ts.get(0).effect().contains("1 rollback step") && ts.get(0).effect().contains("halt the rollout"), ts.get(0).effect());
        assertEquals("fake probe 'fake start-latency': 'value > 30'", ts.get(1).condition());
        assertEquals(Optional.of(Duration.ofMinutes(5)), ts.get(1).forDuration());
        assertEquals(Optional.of(Duration.ofSeconds(15)), ts.get(1).interval());
        assertEquals(Optional.of("halt"), ts.get(1).onTimeout());
        assertTrue(ts.get(1).effect().startsWith("ask the operator"), ts.get(1).effect());
    }

    @Test
    void aDryRunSamplesNoProbeAndRollsNothingBack() throws Exception {
        FakeAction.Script down = (ctx, call) -> StepResult.ok("", Map.of("status", 500L));
        Trigger health = TestTriggers.probe("health-500", down, "status >= 500", Optional.empty(), Duration.ofSeconds(10), 1,
                TriggerAction.ROLLBACK);
        AppFixture f = new AppFixture(tmp, runbook(List.of(health)), hosts(3));
        assertEquals(ExitCodes.OK, f.services().runs().run(f.request().withDryRun(true), f.events));
        assertEquals(List.of(), f.events.of(RunEvent.TriggerFired.class), "nothing changed, so nothing can have broken");
        assertEquals(List.of(), restore.type().calls());
        assertEquals(List.of(), ((FakeAction) health.probe().orElseThrow().type()).calls(), "no probe was sampled");
    }
}
