package dev.opsctl.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.event.RunEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ConsoleRendererTest {
    private static final Pattern SGR_COLOUR = Pattern.compile("\u001b\\[[0-9;]*m");

    private record Output(String out, String err) {
        String dump() {
            return "--- stdout ---\n" + out + "--- stderr ---\n" + err + "---";
        }
    }

    private static Output render(ConsoleMode mode) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Clock clock = Clock.fixed(SampleEvents.at(6), ZoneOffset.UTC);
        try (ConsoleRenderer r = new ConsoleRenderer(o, e, mode, clock)) {
            SampleEvents.failingRun().forEach(r::accept);
        }
        return new Output(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void plainModePrintsTimestampedStepLines() {
        Output o = render(ConsoleMode.PLAIN);
        assertTrue(o.err().contains("[02:01:03] host web1: step 'restart-docker' ok (1.2s)\n"), o.dump());
        assertTrue(o.err().contains("[02:01:02] batch 2/2: web2") || o.err().contains("[02:01:04] batch 2/2: web2"), o.dump());
    }

    @Test
    void aFailedStepGetsWhatWhyAndFixLines() {
        Output o = render(ConsoleMode.PLAIN);
        String block = "host web2: step 'restart-docker' failed: exit 1 from 'systemctl restart docker'\n"
                + "  why: Job for docker.service failed because the control process exited with error code.\n"
                + "  fix: see 'opsctl runs show 20261122-0201-userns-remap --step restart-docker' for full output; "
                + "rerun with 'opsctl runs resume 20261122-0201-userns-remap'\n";
        assertTrue(o.err().contains(block), o.dump());
    }

    @Test
    void aStepThatLostItsConnectionSaysSoAndToCheckTheHostBeforeRerunningIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        try (ConsoleRenderer r = new ConsoleRenderer(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), e,
                ConsoleMode.PLAIN, Clock.fixed(SampleEvents.at(6), ZoneOffset.UTC))) {
            r.accept(new RunEvent.StepFinished("r1", SampleEvents.at(5), "web2", "two", "connection_lost", -1, 3000,
                    "host 'web2': the ssh connection to 'web2:22' was lost while running 'sh two.sh': connection reset", Map.of(), false));
        }
        String shown = err.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("host web2: step 'two' lost its connection to the host: host 'web2': the ssh connection to "
                + "'web2:22' was lost while running 'sh two.sh': connection reset\n"
                + "  fix: check on the host what the command did and that it is no longer running, then "
                + "'opsctl runs resume r1 --rerun-interrupted' (or 'opsctl runs rollback r1 --host web2')\n"), shown);
    }

    @Test
    void aFailureThatSaysItsOwnFixHasItOnTheFixLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        try (ConsoleRenderer r = new ConsoleRenderer(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), e,
                ConsoleMode.PLAIN, Clock.fixed(SampleEvents.at(6), ZoneOffset.UTC))) {
            r.accept(new RunEvent.StepFinished("r1", SampleEvents.at(5), "web2", "check", "failed", -1, 10,
                    "sudo on host 'web2' refused to run the command as 'root': 'sudo: a password is required'; fix: allow it in "
                            + "sudoers (NOPASSWD) or give the sudo password (--ask-sudo-password)", Map.of(), false));
        }
        String shown = err.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("host web2: step 'check' failed: sudo on host 'web2' refused to run the command as 'root': "
                + "'sudo: a password is required'\n"
                + "  fix: allow it in sudoers (NOPASSWD) or give the sudo password (--ask-sudo-password); "
                + "rerun with 'opsctl runs resume r1'\n"), shown);
        assertEquals(1, shown.lines().filter(l -> l.contains("fix:")).count(), shown);
    }

    @Test
    void aFailedRollbackStepPointsToRunsRollbackNotToResume() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        try (ConsoleRenderer r = new ConsoleRenderer(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), e,
                ConsoleMode.PLAIN, Clock.fixed(SampleEvents.at(6), ZoneOffset.UTC))) {
            r.accept(new RunEvent.RollbackStarted("r1", SampleEvents.at(5), "web2", "trigger 't' fired"));
            r.accept(new RunEvent.StepFinished("r1", SampleEvents.at(5), "web2", "undo", "failed", 1, 10, "exit 1 from 'restore'",
                    Map.of(), false));
            r.accept(new RunEvent.RollbackFinished("r1", SampleEvents.at(5), "web2", false, "rollback step 'undo' failed"));
            r.accept(new RunEvent.StepFinished("r1", SampleEvents.at(5), "web2", "after", "failed", 1, 10, "exit 1 from 'x'",
                    Map.of(), false));
        }
        String shown = err.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("host web2: rollback step 'undo' failed: exit 1 from 'restore'\n"
                + "  fix: see 'opsctl runs show r1 --step undo' for full output; check the host, then roll it back again with "
                + "'opsctl runs rollback r1 --host web2'\n"), shown);
        assertTrue(shown.contains("rerun with 'opsctl runs resume r1'\n"), "a step after the rollback is a main step again: " + shown);
    }

    @Test
    void aHostsWordsAreShownNotSentToTheTerminal() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        try (ConsoleRenderer r = new ConsoleRenderer(new PrintStream(out, true, StandardCharsets.UTF_8), e, ConsoleMode.PLAIN,
                Clock.fixed(SampleEvents.at(6), ZoneOffset.UTC))) {
            r.accept(new RunEvent.StepOutput("r1", SampleEvents.at(5), "web2", "check", "stderr", "\u001b]52;c;cm0gLXJmIH4=\u0007 \u202Eok"));
            r.accept(new RunEvent.StepFinished("r1", SampleEvents.at(5), "web2", "check", "failed", 1, 10,
                    "exit 1 from 'check' \u001b[2J", Map.of(), false));
            r.accept(new RunEvent.StepFinished("r1", SampleEvents.at(5), "web3", "load", "failed", 1, 10,
                    "cannot load the image: \u001b[1A\ndocker said \u0007no", Map.of(), false));
            r.accept(new RunEvent.RunFinished("r1", SampleEvents.at(6), "failed", 1, 6000, Map.of("web2", "failed"),
                    "host 'web2': step 'check' failed: exit 1 from 'check' \u001b]52;c;cm0gLXJmIH4=\u0007"));
        }
        String shown = err.toString(StandardCharsets.UTF_8);
        String summary = out.toString(StandardCharsets.UTF_8);
        assertFalse(shown.contains("\u001b") || shown.contains("\u0007") || shown.contains("\u202E"), shown);
        assertFalse(summary.contains("\u001b") || summary.contains("\u0007"), summary);
        assertTrue(shown.contains("  why: \\x1b]52;c;cm0gLXJmIH4=\\x07 \\u202eok\n"), shown);
        assertTrue(shown.contains("failed: exit 1 from 'check' \\x1b[2J\n"), shown);
        // a message of two lines: the first heads the block, both are the why, each line made visible
        assertTrue(shown.contains("step 'load' failed: cannot load the image: \\x1b[1A\n  why: cannot load the image: \\x1b[1A\n"
                + "       docker said \\x07no\n"), shown);
        assertTrue(summary.contains("exit 1 from 'check' \\x1b]52;c;cm0gLXJmIH4=\\x07\n"), summary);
    }

    @Test
    void summaryOnStdoutGivesHostsElapsedRunIdAndExitMeaning() {
        Output o = render(ConsoleMode.PLAIN);
        assertEquals("run 20261122-0201-userns-remap rolled_back after 8.0s\n"
                + "  hosts: 1 ok, 0 failed, 0 unreachable, 1 rolled_back\n"
                + "  exit 3: a host was rolled back (a trigger fired, or 'opsctl runs rollback') and the rollback succeeded\n"
                + "  details: opsctl runs show 20261122-0201-userns-remap\n", o.out(), o.dump());
    }

    @Test
    void plainModeWritesNoEscapeCharacters() {
        Output o = render(ConsoleMode.PLAIN);
        assertFalse(o.err().contains("\u001b") || o.out().contains("\u001b"), o.dump());
    }

    @Test
    void noColorTurnsColoursOffEvenOnATerminal() {
        ConsoleMode mode = ConsoleMode.detect(Map.of("TERM", "xterm-256color", "NO_COLOR", ""), true);
        assertFalse(mode.color());
        assertTrue(mode.live());
        Output o = render(mode);
        assertFalse(SGR_COLOUR.matcher(o.err()).find(), o.dump());
        assertFalse(o.out().contains("\u001b"), o.dump());
    }

    @Test
    void colourOnlyOnATerminalThatIsNotDumb() {
        assertTrue(ConsoleMode.detect(Map.of("TERM", "xterm"), true).color());
        assertFalse(ConsoleMode.detect(Map.of("TERM", "xterm"), false).color());
        assertFalse(ConsoleMode.detect(Map.of("TERM", "dumb"), true).live());
        assertFalse(ConsoleMode.detect(Map.of(), true).live());
    }

    @Test
    void liveModeRedrawsTheBoardWithTheRunningStepAndItsElapsedTime() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Clock clock = Clock.fixed(SampleEvents.at(16), ZoneOffset.UTC);
        try (ConsoleRenderer r = new ConsoleRenderer(o, e, new ConsoleMode(true, false, 120), clock)) {
            for (RunEvent ev : SampleEvents.failingRun()) {
                r.accept(ev);
                if (ev instanceof RunEvent.StepStarted s && s.host().equals("web2")) {
                    r.tick();
                    break;
                }
            }
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("batch 2/2  1 hosts done  elapsed 16s"), text);
        assertTrue(text.contains("web2  ▶ restart-docker 12s  systemctl restart docker"), text);
        assertTrue(text.contains("\u001b[J"), "the board is cleared in place: " + text);
    }
}
