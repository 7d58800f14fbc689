package dev.opsctl.target;

import java.util.Optional;

/**
 * {@link Target#stat} as a shell command, for targets that stat through one (sudo, SSH), so they
 * all give the same answer: size, mode, owner and group (ids and names) and kind, following symlinks.
 */
public final class StatCommand {
    private StatCommand() {}

    /**
     * Prints {@code absent}, or {@code size mode(octal) uid gid user group kind} one per line: a
     * directory service's names may hold spaces ("domain users"). The newlines are in the format
     * itself, as BusyBox's stat (Alpine) has {@code -c} and no {@code --printf}.
     */
    public static String script(String quotedPath) {
        return "if [ -e " + quotedPath + " ]; then stat -L -c '%s\n%a\n%u\n%g\n%U\n%G\n%F' -- " + quotedPath
                + "; else echo absent; fi";
    }

    /** What {@link #script} printed; throws {@link IllegalArgumentException} for anything else. */
    public static Optional<FileInfo> parse(String stdout) {
        String out = stdout.strip();
        if (out.equals("absent")) {
            return Optional.empty();
        }
        String[] f = out.split("\n", -1);
        if (f.length != 7) {
            throw new IllegalArgumentException("unexpected output '" + out + "'");
        }
        try {
            int uid = Integer.parseInt(f[2]);
            int gid = Integer.parseInt(f[3]);
            return Optional.of(new FileInfo(Long.parseLong(f[0]), Integer.parseInt(f[1], 8), f[6].equals("directory"),
                    new PosixId(uid, named(f[4], uid)), new PosixId(gid, named(f[5], gid))));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unexpected output '" + out + "'", e);
        }
    }

    // GNU stat prints UNKNOWN for an id without a name; Java's principals use the number
    private static String named(String name, int id) {
        return name.equals("UNKNOWN") ? Integer.toString(id) : name;
    }
}
