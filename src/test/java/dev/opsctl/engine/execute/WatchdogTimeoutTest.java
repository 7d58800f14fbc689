package dev.opsctl.engine.execute;

import static dev.opsctl.engine.fakes.TestRunbooks.hosts;
import static dev.opsctl.engine.fakes.TestRunbooks.n;
import static dev.opsctl.engine.fakes.TestRunbooks.serial;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsctl.action.StepResult;
import dev.opsctl.engine.fakes.FakeAction;
import dev.opsctl.engine.fakes.Harness;
import dev.opsctl.engine.fakes.TestRunbooks;
import dev.opsctl.engine.fakes.TestSteps;
import dev.opsctl.event.RunEvent;
import dev.opsctl.target.TargetException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A step its own watchdog ended (it did not return by itself once its timeout was up): timed out, saying what is known of its command. */
class WatchdogTimeoutTest {
    private static final String MAY_STILL_RUN = "timed out after 50ms; it did not end when stopped (TERM, then KILL) and may still be "
            + "running on the host";

    /** Blocks until the watchdog interrupts it, then ends as {@code then} says. */
    private interface OnInterrupt {
        StepResult end(InterruptedException e) throws Exception;
    }

    private static RunEvent.StepFinished run(OnInterrupt then) {
        return run(then, new Harness(), 0);
    }

    private static RunEvent.StepFinished run(OnInterrupt then, Harness h, int retries) {
        FakeAction.Script script = (ctx, call) -> {
            try {
                Thread.sleep(60_000);
                return StepResult.ok("", Map.of());
            } catch (InterruptedException e) {
                return then.end(e);
            }
        };
        h.run(TestRunbooks.runbook(serial(List.of(n(1)), 0, false), TestSteps.step("hang", script).timeout(Duration.ofMillis(50))
                .retries(retries, Duration.ofSeconds(1))), hosts(1));
        return h.events.finished("web1", "hang").get(0);
    }

    @Test
    void aTargetErrorCausedByTheWatchdogsInterruptIsATimeoutThatMayHaveLeftTheCommandRunning() {
        // sshj turns the interrupt into an error of its own, which the SSH target reports as a failed call
        RunEvent.StepFinished f = run(e -> {
            throw TargetException.remoteFailed("web1", "host 'web1': running 'sleep 60' failed: interruptedException");
        });
        assertEquals("timed_out", f.outcome());
        assertEquals(MAY_STILL_RUN, f.message());
    }

    @Test
    void anInterruptedCallIsATimeoutThatSaysItsCommandMayStillRun() {
        RunEvent.StepFinished f = run(e -> {
            throw e;
        });
        assertEquals("timed_out", f.outcome());
        assertEquals(MAY_STILL_RUN, f.message());
    }

    /** The connection broke as the step timed out: what the target says of the command stays, with the timeout. */
    private static TargetException lost(String after, TargetException.LostCommand state) {
        return new TargetException(TargetException.Kind.CONNECTION_LOST, "web1", "host 'web1': the ssh connection to 'web1:22' broke"
                + " while running 'sleep 60' (broken transport; encountered EOF)" + after).withLostCommand(state);
    }

    @Test
    void aCommandTheTargetStoppedFromANewConnectionIsSaidToBeStopped() {
        RunEvent.StepFinished f = run(e -> {
            throw lost("; opsctl reconnected and stopped it (TERM)", TargetException.LostCommand.STOPPED);
        });
        assertEquals("timed_out", f.outcome());
        assertEquals("timed out after 50ms; host 'web1': the ssh connection to 'web1:22' broke while running 'sleep 60' (broken "
                + "transport; encountered EOF); opsctl reconnected and stopped it (TERM)", f.message());
    }

    /** Review: it said "it did not end when stopped (TERM, then KILL)", where no signal had been sent. */
    @Test
    void aCommandTheTargetCouldNotStopIsSaidToMayStillRunForTheReasonTheTargetGives() {
        RunEvent.StepFinished f = run(e -> {
            throw lost("; it may still be running on the host: interrupted before opsctl could stop it",
                    TargetException.LostCommand.MAY_STILL_RUN);
        });
        assertEquals("timed_out", f.outcome());
        assertEquals("timed out after 50ms; host 'web1': the ssh connection to 'web1:22' broke while running 'sleep 60' (broken "
                + "transport; encountered EOF); it may still be running on the host: interrupted before opsctl could stop it", f.message());
    }

    @Test
    void aCallStillConnectingWhenTheWatchdogFiredHadNoCommandRunning() {
        RunEvent.StepFinished f = run(e -> {
            throw TargetException.unreachable("web1", "ssh to '10.0.0.1:22' failed: interruptedException", null);
        });
        assertEquals("timed_out", f.outcome());
        assertEquals("timed out after 50ms while connecting to the host", f.message());
    }

    @Test
    void aTimeoutOnAConnectionLostWithTheCommandStillRunningIsNotRetriedAndHaltsTheRollout() {
        Harness h = new Harness();
        RunEvent.StepFinished f = run(e -> {
            throw lost("; it may still be running on the host: could not reconnect (connection refused by 'web1:22')",
                    TargetException.LostCommand.MAY_STILL_RUN);
        }, h, 2);
        assertEquals("timed out after 50ms; host 'web1': the ssh connection to 'web1:22' broke while running 'sleep 60' (broken "
                + "transport; encountered EOF); it may still be running on the host: could not reconnect (connection refused by "
                + "'web1:22'); not retried (attempt 1 of 3): the step is not idempotent", f.message());
        assertEquals(1, h.events.of(RunEvent.StepStarted.class).size());
        assertEquals("halted", h.events.of(RunEvent.HostFinished.class).get(0).status());
    }

    @Test
    void aTimeoutTheStepReportedItselfKeepsItsOwnWords() {
        RunEvent.StepFinished f = run(e -> new StepResult(StepResult.Outcome.TIMED_OUT, -1, "", "", "timed out after 50ms: 'sleep 60'; "
                + "it did not end when stopped (TERM, then KILL) and may still be running on the host", Map.of(), Duration.ZERO));
        assertEquals("timed_out", f.outcome());
        assertEquals("timed out after 50ms: 'sleep 60'; it did not end when stopped (TERM, then KILL) and may still be running on the host",
                f.message());
    }
}
