package dev.opsctl.target;

/** POSIX sh single quoting, always: {@code it's} becomes {@code 'it'\''s'}. For scripts the targets build. */
public final class SingleQuoted {
    private SingleQuoted() {}

    public static String of(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
