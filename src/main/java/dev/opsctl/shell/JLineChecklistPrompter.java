package dev.opsctl.shell;

import dev.opsctl.checklist.Item;
import dev.opsctl.checklist.ItemGroup;
import dev.opsctl.checklist.run.Answer;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.checklist.run.Evidence;
import dev.opsctl.checklist.run.ItemResult;
import dev.opsctl.source.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * Asks an operator about manual checklist items at the terminal: {@code y} confirm, {@code n} fail,
 * {@code s} skip (asks the reason), {@code a} add a note; each followed by Enter, so a stray key press at
 * 3 a.m. answers nothing. Shows checked items' results and evidence as they finish. End of input leaves
 * the item unanswered (the checklist fails closed); Ctrl-C interrupts the run.
 */
public final class JLineChecklistPrompter implements ChecklistPrompter {
    private static final int EVIDENCE_WIDTH = 110;
    private final LineReader reader;
    private final PrintWriter out;

    /** A prompter on the process's own terminal. */
    public static JLineChecklistPrompter system() throws java.io.IOException {
        return new JLineChecklistPrompter(org.jline.terminal.TerminalBuilder.builder().system(true).build());
    }

    public JLineChecklistPrompter(Terminal terminal) {
        this.reader = LineReaderBuilder.builder().terminal(terminal).build();
        this.out = terminal.writer();
    }

    @Override
    public Answer ask(Item item, Optional<String> host, List<Evidence> context) throws InterruptedException {
        out.println();
        out.println("? " + item.text() + host.map(h -> "  [" + h + "]").orElse("") + "  (" + item.id() + ")");
        if (!context.isEmpty()) {
            out.println("  evidence so far:");
            context.forEach(e -> out.println("    " + e.itemId() + ": " + (e.held() ? "ok " : "NOT OK ") + e.digest(EVIDENCE_WIDTH)));
        }
        if (item.noteRequired()) {
            out.println("  this item needs a note: press 'a' to add one before confirming");
        }
        out.flush();
        StringBuilder note = new StringBuilder();
        try {
            while (true) {
                String key = reader.readLine("  [y] confirm  [n] fail  [s] skip  [a] add note > ").strip().toLowerCase(java.util.Locale.ROOT);
                switch (key) {
                    case "y", "yes" -> {
                        if (item.noteRequired() && note.length() == 0) {
                            out.println("  a note is required for this item: press 'a' first");
                            continue;
                        }
                        return Answer.confirm(note.toString());
                    }
                    case "n", "no" -> {
                        append(note, reader.readLine("  what is wrong? > "));
                        return Answer.fail(note.toString());
                    }
                    case "s", "skip" -> {
                        String reason = reader.readLine("  reason for skipping > ").strip();
                        if (reason.isEmpty()) {
                            out.println("  a skip needs a reason; nothing recorded");
                            continue;
                        }
                        append(note, reason);
                        return Answer.skip(note.toString());
                    }
                    case "a", "note" -> append(note, reader.readLine("  note > "));
                    default -> out.println("  answer y, n, s or a, then Enter");
                }
                out.flush();
            }
        } catch (EndOfFileException e) {
            return Answer.unanswered("no answer (end of input)");
        } catch (UserInterruptException e) {
            throw new InterruptedException("interrupted at checklist item '" + item.id() + "'");
        }
    }

    @Override
    public void checked(ItemResult r) {
        out.println((r.status().blocks() ? "x " : "v ") + r.status().label() + "  " + r.text() + r.host().map(h -> "  [" + h + "]").orElse(""));
        if (!r.evidence().isEmpty()) {
            out.println("    " + r.evidence().get(r.evidence().size() - 1).digest(EVIDENCE_WIDTH));
        }
        if (!r.note().isEmpty()) {
            out.println("    " + r.note());
        }
        out.flush();
    }

    @Override
    public void waiting(ItemGroup group, Duration remaining) {
        out.println("waiting " + Durations.format(remaining) + " before '" + group.name() + "' (Ctrl-C stops the checklist)");
        out.flush();
    }

    private static void append(StringBuilder note, String line) {
        String s = line.strip();
        if (!s.isEmpty()) {
            if (note.length() > 0) {
                note.append("; ");
            }
            note.append(s);
        }
    }
}
