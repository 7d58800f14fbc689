package dev.opsctl.target.ssh;

import dev.opsctl.target.ExecResult;

/**
 * The host side of stopping a command by its process group ({@link SshExec.GroupKiller}): a script
 * that signals the group and says whether a live process of it was there, and its answer read back.
 */
final class GroupSignal {
    private GroupSignal() {}

    /**
     * {@code kill -SIGNAL -PGID}, then "there" or "gone". A group left with zombies only is gone:
     * they wait for PID 1 to reap them (seconds on some hosts, never in a container whose PID 1 does
     * not reap), and they hold nothing. {@code ps} decides that where it can; without it, any
     * process that takes the signal counts.
     */
    static String script(String signal, long pgid) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("not a command's process group: " + pgid);
        }
        // in sh whatever the login shell (a root login's may be csh), and no '!': csh expands history even in quotes
        String posix = "if kill -" + signal + " -" + pgid + " 2>/dev/null; then "
                + "if s=$(ps -e -o pgid= -o stat= 2>/dev/null) && [ -n \"$s\" ]; then "
                + "echo \"$s\" | awk -v g=" + pgid + " '$2 ~ /^Z/ { next } $1 == g { f = 1 } END { print f ? \"there\" : \"gone\" }'; "
                + "else echo there; fi; else echo gone; fi";
        return "sh -c " + RemoteCommand.quote(posix);
    }

    static SshExec.Group answer(ExecResult r) {
        String said = r.ok() ? r.stdout().strip() : "";
        return said.equals("there") ? SshExec.Group.THERE : said.equals("gone") ? SshExec.Group.GONE : SshExec.Group.UNKNOWN;
    }
}
