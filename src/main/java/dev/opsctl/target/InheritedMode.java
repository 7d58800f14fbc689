package dev.opsctl.target;

/**
 * The mode a write without a given mode takes from the regular file it replaces. A setuid bit runs
 * the file as its owner and a setgid bit as its group, so each is kept only while that id stays the
 * same: a new owner drops setuid, a new group drops setgid (as {@code cp -p} does when it cannot
 * keep the ids, and as {@code chown(2)} does). The other bits are kept. {@link PrivateDirWrite}'s
 * script does the same in shell. Pure function.
 */
public final class InheritedMode {
    private InheritedMode() {}

    public static int of(int replacedMode, boolean sameOwner, boolean sameGroup) {
        int mode = replacedMode & 07777;
        if (!sameOwner) {
            mode &= ~04000;
        }
        if (!sameGroup) {
            mode &= ~02000;
        }
        return mode;
    }
}
