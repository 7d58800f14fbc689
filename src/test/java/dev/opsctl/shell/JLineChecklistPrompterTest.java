package dev.opsctl.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.checklist.Item;
import dev.opsctl.checklist.Placement;
import dev.opsctl.checklist.run.Answer;
import dev.opsctl.checklist.run.Evidence;
import dev.opsctl.checklist.run.ItemResult;
import dev.opsctl.checklist.run.ItemStatus;
import dev.opsctl.source.SourcePos;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;

class JLineChecklistPrompterTest {
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    private static Item item(boolean noteRequired) {
        return new Item("notified", "stakeholders notified (関係者への事前通知が完了)", Optional.empty(), Optional.empty(), Duration.ZERO,
                Duration.ofSeconds(10), 0, Placement.CONTROLLER, noteRequired, SourcePos.NONE);
    }

    private Answer answer(String typed, Item item, List<Evidence> context) throws Exception {
        Terminal t = new DumbTerminal("test", "dumb", new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen,
                StandardCharsets.UTF_8);
        try (t) {
            return new JLineChecklistPrompter(t).ask(item, Optional.of("web1"), context);
        }
    }

    private String screen() {
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void yConfirms() throws Exception {
        Answer a = answer("y\n", item(false), List.of());
        assertEquals(Answer.Decision.CONFIRM, a.decision());
        assertTrue(screen().contains("? stakeholders notified (関係者への事前通知が完了)  [web1]  (notified)"), screen());
    }

    @Test
    void nFailsWithWhatIsWrong() throws Exception {
        Answer a = answer("n\nQA team not told\n", item(false), List.of());
        assertEquals(Answer.Decision.FAIL, a.decision());
        assertEquals("QA team not told", a.note());
    }

    @Test
    void sSkipsOnlyWithAReason() throws Exception {
        Answer a = answer("s\n\ns\nemergency change CHG-1\n", item(false), List.of());
        assertEquals(Answer.Decision.SKIP, a.decision());
        assertEquals("emergency change CHG-1", a.note());
        assertTrue(screen().contains("a skip needs a reason"), screen());
    }

    @Test
    void aAddsANoteAndANoteRequiredItemWaitsForIt() throws Exception {
        Answer a = answer("y\na\nmail sent 01:50\ny\n", item(true), List.of());
        assertEquals(Answer.Decision.CONFIRM, a.decision());
        assertEquals("mail sent 01:50", a.note());
        assertTrue(screen().contains("a note is required for this item"), screen());
    }

    @Test
    void endOfInputLeavesTheItemUnanswered() throws Exception {
        assertEquals(Answer.Decision.NONE, answer("x\n", item(false), List.of()).decision());
        assertTrue(screen().contains("answer y, n, s or a"), screen());
    }

    @Test
    void showsTheEvidenceOfCheckedItems() throws Exception {
        Evidence e = new Evidence("userns", Optional.of("web1"), Instant.EPOCH, "docker info", "ok", true, Map.of("stdout", "name=userns"));
        answer("y\n", item(false), List.of(e));
        assertTrue(screen().contains("userns: ok ok stdout=name=userns"), screen());
        Terminal t = new DumbTerminal("test", "dumb", new ByteArrayInputStream(new byte[0]), screen, StandardCharsets.UTF_8);
        new JLineChecklistPrompter(t).checked(new ItemResult("userns", "userns enabled", "items", Optional.of("web1"), false,
                ItemStatus.FAILED, "alice", Instant.EPOCH, "expected stdout contains \"userns\"", List.of(e)));
        assertTrue(screen().contains("x failed  userns enabled  [web1]"), screen());
    }
}
