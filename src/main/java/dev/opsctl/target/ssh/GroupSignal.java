package dev.opsctl.target.ssh;

import dev.opsctl.target.ExecResult;
import dev.opsctl.target.GroupSignalCommand;

/**
 * The host side of stopping a command by its process group ({@link SshExec.GroupKiller}): a script
 * that signals the group and says whether a live process of it was there, and its answer read back.
 */
final class GroupSignal {
    private GroupSignal() {}

    /** {@link GroupSignalCommand#script}: a command, which runs in sh whatever the login shell ({@link RemoteCommand#build}). */
    static String script(String signal, long pgid) {
        return GroupSignalCommand.script(signal, pgid);
    }

    static SshExec.Group answer(ExecResult r) {
        String said = r.ok() ? r.stdout().strip() : "";
        return said.equals(GroupSignalCommand.THERE) ? SshExec.Group.THERE
                : said.equals(GroupSignalCommand.GONE) ? SshExec.Group.GONE : SshExec.Group.UNKNOWN;
    }
}
