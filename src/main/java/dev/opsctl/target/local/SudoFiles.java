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

    static String octal(int mode) {
        return String.format("%04o", mode);
    }
}
