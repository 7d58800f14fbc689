package dev.opsctl.report;

import dev.opsctl.checklist.run.ChecklistResult;
import dev.opsctl.checklist.run.Evidence;
import dev.opsctl.checklist.run.ItemResult;
import dev.opsctl.source.TerminalText;
import java.util.List;

/** A checklist result as a plain-text table for the terminal: one row per item (and host), then the verdict. */
public final class ChecklistTable {
    private static final int TEXT_WIDTH = 60;
    private static final int DETAIL_WIDTH = 100;

    private ChecklistTable() {}

    public static String render(ChecklistResult result) {
        StringBuilder out = new StringBuilder();
        out.append(result.title()).append("  (").append(result.name()).append(", operator ").append(result.operator()).append(")\n");
        List<ItemResult> items = result.items();
        int keyWidth = Math.max(4, items.stream().mapToInt(i -> i.key().length()).max().orElse(4));
        out.append(String.format("%-10s  %-" + keyWidth + "s  %s%n", "STATUS", "ITEM", "TEXT"));
        String group = null;
        for (ItemResult i : items) {
            if (!i.group().equals(group) && result.items().stream().map(ItemResult::group).distinct().count() > 1) {
                out.append("[").append(i.group()).append("]\n");
            }
            group = i.group();
            out.append(String.format("%-10s  %-" + keyWidth + "s  %s%n", i.status().label(), i.key(), clip(i.text(), TEXT_WIDTH)));
            String pad = " ".repeat(12 + keyWidth + 2);
            if (!i.note().isEmpty()) {
                out.append(pad).append("note: ").append(clip(oneLine(i.note()), DETAIL_WIDTH)).append('\n');
            }
            if (!i.evidence().isEmpty()) {
                Evidence last = i.evidence().get(i.evidence().size() - 1);
                out.append(pad).append("evidence: ").append(last.digest(DETAIL_WIDTH)).append('\n');
            }
        }
        out.append(result.verdict()).append('\n');
        return out.toString();
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    static String oneLine(String s) {
        return TerminalText.visible(s.strip().replaceAll("\\s+", " "));
    }
}
