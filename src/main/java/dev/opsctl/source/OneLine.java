package dev.opsctl.source;

/** Text shown on one line of a message: line breaks and the blanks around them become one space, the rest cut with "…". */
public final class OneLine {
    private OneLine() {}

    /** {@code s} (null: empty) on one line of at most {@code max} characters, never cutting a surrogate pair. */
    public static String of(String s, int max) {
        String flat = s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
        if (flat.length() <= max) {
            return flat;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(flat.charAt(end - 1))) {
            end--;
        }
        return flat.substring(0, end) + "…";
    }
}
