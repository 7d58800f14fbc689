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
}
