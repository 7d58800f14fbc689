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
import dev.opsctl.engine.fakes.TestSteps;
import dev.opsctl.engine.journal.JournalReader;
import dev.opsctl.engine.journal.RunLock;
import dev.opsctl.engine.journal.RunState;
import dev.opsctl.param.Param;
import dev.opsctl.param.ParamType;
import dev.opsctl.source.SourcePos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunServiceTest {
    @TempDir
    Path tmp;

    private static Path onlyJournal(Path stateDir) throws Exception {
        try (Stream<Path> s = Files.list(stateDir.resolve("runs"))) {
            return s.findFirst().orElseThrow().resolve("journal.jsonl");
        }
    }

    @Test
    void stepStartedIsOnDiskBeforeTheStepRunsAndStateIsPrivate() throws Exception {
        AtomicReference<String> lastLineSeen = new AtomicReference<>();
        AtomicReference<AppFixture> fx = new AtomicReference<>();
        TestSteps s = TestSteps.step("restart", (ctx, call) -> {
            List<String> lines = Files.readAllLines(onlyJournal(fx.get().stateDir));
            lastLineSeen.set(lines.get(lines.size() - 1));
            return StepResult.ok("", Map.of());
        });
        fx.set(new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), s), hosts(1)));
        assertEquals(0, fx.get().services().runs().run(fx.get().request(), fx.get().events));
        assertTrue(lastLineSeen.get().contains("\"type\":\"step-started\"") && lastLineSeen.get().contains("\"step\":\"restart\""),
                lastLineSeen.get());
        Path journal = onlyJournal(fx.get().stateDir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journal)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journal.getParent())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fx.get().stateDir)));
        List<String> types = Files.readAllLines(journal).stream().map(l -> l.replaceAll(".*?\"type\":\"([a-z-]+)\".*", "$1")).toList();
        assertEquals(List.of("run-started", "batch-started", "host-started", "step-started", "step-finished", "host-finished",
                "run-finished"), types);
    }

    @Test
    void aSecretParamNeverReachesTheJournalOrTheEvents() throws Exception {
        String secret = "hunter2-very-secret";
        TestSteps s = TestSteps.step("login", (ctx, call) -> {
            String cmd = ctx.renderCommand("login --token {{ token }}");
            return new StepResult(StepResult.Outcome.FAILED, 1, "echo " + cmd, "bad token " + secret, "rejected " + secret,
                    Map.of("token_used", secret), java.time.Duration.ZERO);
        }).ignoreErrors();
        Param token = new Param("token", ParamType.SECRET, Optional.empty(), "", List.of(), Optional.empty(), SourcePos.NONE);
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), List.of(token), s), hosts(2));
        assertEquals(0, fx.services().runs().run(fx.request().withExtraVars(List.of("token=" + secret)), fx.events));
        String text = Files.readString(onlyJournal(fx.stateDir));
        assertFalse(text.contains("hunter2"), text);
        assertTrue(text.contains("********"));
        assertFalse(fx.events.all().toString().contains("hunter2"));
    }

    @Test
    void aSecondRunOnOverlappingHostsIsRefusedNamingTheHostAndTheHolder() throws Exception {
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), TestSteps.ok("a")), hosts(2));
        RunLock.Holder other = new RunLock.Holder("20261122-020000-beef", 4242, "bob", "ops1", Instant.parse("2026-11-22T02:00:00Z"));
        // bob runs the same runbook with '-l web2'; this run is for web1 and web2
        try (RunLock held = RunLock.acquire(fx.stateDir.resolve("locks"), "test", List.of("web2"), other)) {
            OpsctlException e = assertThrows(OpsctlException.class, () -> fx.services().runs().run(fx.request(), fx.events));
            assertEquals(ExitCodes.FAILED, e.exitCode());
            assertEquals("runbook 'test' is already running on host 'web2': run 20261122-020000-beef (pid 4242, operator bob, "
                    + "since 2026-11-22T02:00:00Z)", e.getMessage());
        }
        assertEquals(0, fx.services().runs().run(fx.request(), fx.events), "the lock is free once its holder is gone");
    }

    @Test
    void unknownParamIsAUsageErrorBeforeAnythingIsWritten() {
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), TestSteps.ok("a")), hosts(1));
        OpsctlException e = assertThrows(OpsctlException.class,
                () -> fx.services().runs().run(fx.request().withExtraVars(List.of("x=1")), fx.events));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertFalse(Files.exists(fx.stateDir.resolve("runs")));
    }

    @Test
    void runsListSaysRunningOnlyWhileTheRunHoldsItsLocks() throws Exception {
        java.util.concurrent.atomic.AtomicReference<AppFixture> fixture = new java.util.concurrent.atomic.AtomicReference<>();
        List<String> seen = new java.util.ArrayList<>();
        TestSteps look = AppFixture.listing("look", fixture, seen);
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(2)), 0, false), look), hosts(2));
        fixture.set(fx);
        assertEquals(0, fx.services().runs().run(fx.request(), fx.events));
        assertEquals(List.of("running", "running"), seen);
        Path journal = onlyJournal(fx.stateDir);
        List<String> lines = Files.readAllLines(journal);
        Files.write(journal, lines.subList(0, lines.size() - 1)); // killed before run-finished
        assertEquals("aborted", fx.services().history().list().get(0).status());
    }

    @Test
    void runsListAndShowReadTheJournals() throws Exception {
        TestSteps bad = TestSteps.step("b", (ctx, call) -> ctx.host().equals("web2") ? StepResult.failed("exit 3", Map.of())
                : StepResult.ok("", Map.of()));
        AppFixture fx = new AppFixture(tmp, TestRunbooks.runbook(serial(List.of(n(1)), 0, false), TestSteps.ok("a"), bad), hosts(3));
        assertEquals(ExitCodes.FAILED, fx.services().runs().run(fx.request(), fx.events));
        List<RunSummary> runs = fx.services().history().list();
        assertEquals(1, runs.size());
        assertEquals("failed", runs.get(0).status());
        assertEquals(List.of("web1", "web2", "web3"), runs.get(0).hosts());
        RunState st = fx.services().history().show(runs.get(0).runId());
        assertEquals("ok", st.hosts().get("web1").status().orElseThrow());
        assertEquals("failed", st.hosts().get("web2").steps().get("b").outcome());
        assertEquals("exit 3", st.hosts().get("web2").steps().get("b").message());
        assertTrue(st.hosts().get("web3").steps().isEmpty());
        assertEquals(RunState.class, JournalReader.read(onlyJournal(fx.stateDir)).getClass());
    }
}
