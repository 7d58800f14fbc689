package dev.opsctl.target;

/**
 * Stopping a command by its process group as a shell script, for targets whose own signals cannot
 * reach the command (it runs under sudo, or after a root login over SSH), so they all tell a group
 * that is gone from one that is not the same way: the script prints {@link #THERE} or {@link #GONE}.
 */
public final class GroupSignalCommand {
    /** A live process of the group took the signal. */
    public static final String THERE = "there";
    /** No live process of the group is left. */
    public static final String GONE = "gone";

    private GroupSignalCommand() {}

    /**
     * A POSIX sh script: {@code kill -SIGNAL -PGID}, then "there" or "gone" ("0" as the signal only
     * asks). A group left with zombies only is gone: they wait for PID 1 to reap them (seconds on
     * some hosts, never in a container whose PID 1 does not reap), and they hold nothing. {@code ps}
     * decides that where it can; without it, any process that takes the signal counts.
     *
     * @throws IllegalArgumentException for a group of 1 or less, which would be every process
     */
    public static String script(String signal, long pgid) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("not a command's process group: " + pgid);
        }
        // no '!': an SSH login's csh expands history even in quotes
        return "if kill -" + signal + " -" + pgid + " 2>/dev/null; then "
                + "if s=$(ps -e -o pgid= -o stat= 2>/dev/null) && [ -n \"$s\" ]; then "
                + "echo \"$s\" | awk -v g=" + pgid + " '$2 ~ /^Z/ { next } $1 == g { f = 1 } END { print f ? \"" + THERE + "\" : \""
                + GONE + "\" }'; "
                + "else echo " + THERE + "; fi; else echo " + GONE + "; fi";
    }
}
