package dev.opsctl.action.shell;

import dev.opsctl.source.MapNode;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import dev.opsctl.target.EnvOnStdin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parsing shared by the step types that run a command ({@code shell}, {@code script}). */
public final class CommandOptions {

    private CommandOptions() {}

    /**
     * {@code env: {NAME: value}}. A name must be one sh can export: the SSH target exports it before
     * the command, and would refuse it at run time where the local target passed it on.
     */
    public static Map<String, String> env(MapReader r) {
        r.node("env").ifPresent(n -> {
            if (n instanceof MapNode m) {
                m.entries().values().forEach(e -> EnvOnStdin.nameProblem(e.key()).ifPresent(why -> r.problems().error(e.keyPos(),
                        "'" + e.key() + "' in 'env' of " + r.what() + " " + why, "use letters, digits and '_', not starting with a digit,"
                                + " and none of opsctl_n, opsctl_v, opsctl_l, opsctl_s")));
            }
        });
        return r.stringMap("env");
    }

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
