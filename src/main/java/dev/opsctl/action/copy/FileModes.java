package dev.opsctl.action.copy;

import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import java.util.Optional;

/**
 * File modes as written in YAML. The text is read as octal whatever YAML made of it, so
 * {@code 0640}, {@code '0640'} and {@code 640} all mean rw-r-----.
 */
public final class FileModes {
    private FileModes() {}

    public static Optional<Integer> parse(MapReader r, String key) {
        Optional<Node> node = r.node(key);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        Node n = node.get();
        if (n instanceof ScalarNode s && (s.kind() == ScalarNode.Kind.STRING || s.kind() == ScalarNode.Kind.INT)) {
            String text = s.text().strip();
            String digits = text.startsWith("0o") ? text.substring(2) : text;
            if (digits.matches("[0-7]{3,4}")) {
                return Optional.of(Integer.parseInt(digits, 8));
            }
        }
        String shown = n instanceof ScalarNode s && !s.isNull() ? "'" + s.text() + "'" : n.describe();
        r.problems().error(n.pos(), "'" + key + "' in " + r.what() + " must be an octal file mode, not " + shown,
                "write the mode in octal and quoted: '0640'");
        return Optional.empty();
    }
}
