package dev.opsctl.action.shell;

import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import java.util.ArrayList;
import java.util.List;

/** Parsing shared by the step types that run a command ({@code shell}, {@code script}). */
public final class CommandOptions {
    private CommandOptions() {}

    /** {@code expect_rc: 0} or {@code expect_rc: [0, 2]}; default {@code [0]}. */
    public static List<Integer> expectRc(MapReader r) {
        List<Integer> out = new ArrayList<>();
        r.node("expect_rc").ifPresentOrElse(n -> {
            List<Node> items = n instanceof SeqNode seq ? seq.items() : List.of(n);
            for (Node item : items) {
                if (item instanceof ScalarNode s && s.kind() == ScalarNode.Kind.INT && s.text().matches("\\d{1,3}")
                        && Integer.parseInt(s.text()) <= 255) {
                    out.add(Integer.parseInt(s.text()));
                } else {
                    r.problems().error(item.pos(), "'expect_rc' in " + r.what() + " must be exit codes from 0 to 255, not "
                            + describe(item), "write expect_rc: [0, 2]");
                }
            }
            if (items.isEmpty()) {
                r.problems().error(n.pos(), "'expect_rc' in " + r.what() + " is empty", "write expect_rc: [0]");
            }
        }, () -> out.add(0));
        return out;
    }

    private static String describe(Node n) {
        return n instanceof ScalarNode s && !s.isNull() ? "'" + s.text() + "'" : n.describe();
    }
}
