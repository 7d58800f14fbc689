package dev.opsctl.target.local;

import static dev.opsctl.target.local.LocalCommand.quote;

import dev.opsctl.target.FileAttrs;

/**
 * Shell commands for file operations that need root when opsctl is not root: they run through
 * sudo like any command, the content travelling on stdin. The same atomic recipe as
 * {@link LocalFiles#put}: a mktemp file (0600) beside the destination, mode and owner set, synced,
 * then renamed with {@code mv}.
 */
final class SudoFiles {
    private SudoFiles() {}

    static String put(String dest, FileAttrs attrs) {
        StringBuilder s = new StringBuilder();
        s.append("set -eu\n");
        s.append("dest=").append(quote(dest)).append('\n');
        s.append("if [ -L \"$dest\" ] && [ -e \"$dest\" ]; then dest=$(readlink -f -- \"$dest\"); fi\n");
        s.append("tmp=$(mktemp \"$(dirname -- \"$dest\")/.$(basename -- \"$dest\").XXXXXX\")\n");
        s.append("trap 'rm -f -- \"$tmp\"' EXIT\n");
        s.append("cat > \"$tmp\"\n");
        s.append("if [ -e \"$dest\" ]; then chmod --reference=\"$dest\" -- \"$tmp\"; chown --reference=\"$dest\" -- \"$tmp\";")
                .append(" else chmod ").append(octal(LocalFiles.DEFAULT_MODE)).append(" -- \"$tmp\"; fi\n");
        attrs.mode().ifPresent(m -> s.append("chmod ").append(octal(m)).append(" -- \"$tmp\"\n"));
        attrs.owner().ifPresent(o -> s.append("chown ").append(quote(o)).append(" -- \"$tmp\"\n"));
        attrs.group().ifPresent(g -> s.append("chgrp ").append(quote(g)).append(" -- \"$tmp\"\n"));
        s.append("sync -- \"$tmp\" 2>/dev/null || sync\n");
        s.append("mv -f -- \"$tmp\" \"$dest\"\n");
        return s.toString();
    }

    static String get(String path) {
        return "cat -- " + quote(path);
    }

    static String octal(int mode) {
        return String.format("%04o", mode);
    }
}
