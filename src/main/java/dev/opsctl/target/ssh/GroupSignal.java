package dev.opsctl.target.ssh;

import dev.opsctl.target.ExecResult;
import dev.opsctl.target.GroupSignalCommand;

/**
 * The host side of stopping a command by its process group ({@link SshExec.GroupKiller}): a script
 * that signals the group and says whether a live process of it was there, and its answer read back.
 */
final class GroupSignal {
    private GroupSignal() {}

    /** {@link GroupSignalCommand#script} in sh whatever the login shell (a root login's may be csh). */
    static String script(String signal, long pgid) {
        return "sh -c " + RemoteCommand.quote(GroupSignalCommand.script(signal, pgid));
    }

    static SshExec.Group answer(ExecResult r) {
        String said = r.ok() ? r.stdout().strip() : "";
        return said.equals(GroupSignalCommand.THERE) ? SshExec.Group.THERE
                : said.equals(GroupSignalCommand.GONE) ? SshExec.Group.GONE : SshExec.Group.UNKNOWN;
    }
}
