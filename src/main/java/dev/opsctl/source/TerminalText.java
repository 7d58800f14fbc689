package dev.opsctl.source;

/**
 * Text from a host (its stderr, a daemon's or sshd's words) made safe to put in a line opsctl
 * writes to an operator's terminal: control and format characters are shown as escapes
 * ({@code \x1b}, {@code \u202e}) instead of being sent, so a host cannot move the cursor, rewrite
 * what is on screen, set the window title or the clipboard, or reorder a line with bidi
 * overrides. Tabs stay. A byte that was not UTF-8 ({@link HostBytes}) shows as {@code \xNN}. What
 * opsctl prints as data (a command's output, a step's full output) is left as the host wrote it,
 * as ssh leaves it.
 */
public final class TerminalText {
    private TerminalText() {}

    /** {@code text} with every control or format character but tab written as an escape. */
    public static String visible(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int n = Character.charCount(c);
            int raw = HostBytes.escapedByte(text, i);
            boolean hidden = raw >= 0
                    || c != '\t' && (Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT);
            if (hidden && b == null) {
                b = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (b != null) {
                if (hidden) {
                    b.append(raw >= 0 ? String.format("\\x%02x", raw)
                            : c <= 0xff ? String.format("\\x%02x", c) : String.format("\\u%04x", c));
                } else {
                    b.appendCodePoint(c);
                }
            }
            i += n;
        }
        return b == null ? text : b.toString();
    }
}
