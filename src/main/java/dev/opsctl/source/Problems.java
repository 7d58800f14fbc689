package dev.opsctl.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects every problem found in one or more source files, so that all of them are reported
 * together, sorted by position, instead of stopping at the first. Not thread-safe.
 */
public final class Problems {
    private final List<Problem> list = new ArrayList<>();
    private final Map<String, String> texts = new HashMap<>();

    /** Remembers a file's text so that {@link #render()} can quote the offending line. */
    public void addSource(String file, String text) {
        texts.put(file, text);
    }

    public void add(Problem problem) {
        if (!list.contains(problem)) {
            list.add(problem);
        }
    }

    public void error(SourcePos pos, String message) {
        add(Problem.error(pos, message));
    }

    public void error(SourcePos pos, String message, String hint) {
        add(Problem.error(pos, message, hint));
    }

    public void addAll(Problems other) {
        texts.putAll(other.texts);
        other.list.forEach(this::add);
    }

    public boolean hasErrors() {
        return list.stream().anyMatch(p -> p.severity() == Problem.Severity.ERROR);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public int size() {
        return list.size();
    }

    public List<Problem> sorted() {
        List<Problem> copy = new ArrayList<>(list);
        copy.sort(Problem.BY_POSITION);
        return copy;
    }

    /** Compiler-style text: headline, the source line, a caret under the column, the hint. */
    public String render() {
        StringBuilder out = new StringBuilder();
        for (Problem p : sorted()) {
            out.append(p.headline()).append('\n');
            sourceLine(p.pos()).ifPresent(line -> {
                // the line may set a password: the terminal and the CI log must not get it
                String shown = Secret.maskAssignments(line);
                out.append("  ").append(shown).append('\n');
                out.append("  ").append(caretPadding(shown, Secret.maskedColumn(line, p.pos().col()))).append("^\n");
            });
            p.hint().ifPresent(h -> out.append("  hint: ").append(h).append('\n'));
        }
        int errors = (int) list.stream().filter(p -> p.severity() == Problem.Severity.ERROR).count();
        if (errors > 0) {
            out.append(errors).append(errors == 1 ? " error\n" : " errors\n");
        }
        return out.toString();
    }

    private java.util.Optional<String> sourceLine(SourcePos pos) {
        String text = texts.get(pos.file());
        if (text == null || !pos.isKnown()) {
            return java.util.Optional.empty();
        }
        String[] lines = text.split("\r?\n", -1);
        return pos.line() <= lines.length ? java.util.Optional.of(lines[pos.line() - 1]) : java.util.Optional.empty();
    }

    private static String caretPadding(String line, int col) {
        StringBuilder pad = new StringBuilder();
        for (int i = 0; i < col - 1 && i < line.length(); i++) {
            pad.append(line.charAt(i) == '\t' ? '\t' : ' ');
        }
        return pad.toString();
    }
}
