package dev.opsctl.source;

/** A 1-based position in a source file. {@link #NONE} stands for "not from a file". */
public record SourcePos(String file, int line, int col) {
    public static final SourcePos NONE = new SourcePos("<none>", 0, 0);

    public boolean isKnown() {
        return line > 0;
    }

    @Override
    public String toString() {
        return isKnown() ? file + ":" + line + ":" + col : file;
    }
}
