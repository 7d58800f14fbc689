package dev.opsctl.target.local;

import static dev.opsctl.target.local.LocalCommand.quote;

/**
 * Shell commands that read files as root when opsctl is not root: they run through sudo like any
 * command. Writes use {@link dev.opsctl.target.PrivateDirWrite}.
 */
final class SudoFiles {
    private SudoFiles() {}

    static String get(String path) {
        return "cat -- " + quote(path);
    }

    /** Prints {@code absent}, or size, mode in octal and file type. */
    static String stat(String path) {
        String p = quote(path);
        return "if [ -e " + p + " ]; then stat -L -c '%s %a %F' -- " + p + "; else echo absent; fi";
    }

    static String octal(int mode) {
        return String.format("%04o", mode);
    }
}
