package dev.opsctl.target.kube;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is wrong with a kubeconfig that cannot be read, in one line and without its text. The YAML parser's message quotes
 * the lines around the problem, and in a kubeconfig those are often a token or a client key ({@code token: "abc...} left
 * unclosed): the message keeps the parser's words and the positions only.
 */
final class KubeconfigProblem {
    /** " in reader, line 9, column 12:" (SnakeYAML's mark, under Jackson's YAML parser). */
    private static final Pattern MARK = Pattern.compile("^\\s*in .*line (\\d+), column (\\d+):?\\s*$");

    private KubeconfigProblem() {}

    static String describe(Throwable e) {
        String m = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
        List<String> parts = new ArrayList<>();
        boolean marked = false;
        for (String line : m.split("\\R")) {
            Matcher mark = MARK.matcher(line);
            if (mark.matches() && !parts.isEmpty()) {
                parts.set(parts.size() - 1, parts.get(parts.size() - 1) + " (line " + mark.group(1) + ", column " + mark.group(2) + ")");
                marked = true;
            } else if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                // lines that start with a blank are the quoted text, the caret under it, or Jackson's source reference
                parts.add(line.strip().replaceAll("from String \"[^\"]*\"", "from a string"));
            }
        }
        if (parts.isEmpty()) {
            return e.getClass().getSimpleName();
        }
        return marked ? "it is not valid YAML: " + String.join("; ", parts) : parts.get(0);
    }
}
