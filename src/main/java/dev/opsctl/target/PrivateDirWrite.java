package dev.opsctl.target;

import java.util.Optional;

/**
 * The shell script a target runs to write a file with privileges (root, or sudo to another user),
 * and the one that cleans up after a write that did not finish. Others may be able to write in the
 * destination's directory and swap any name there for a symlink between two commands, so no
 * privileged command takes a path in it: the script creates a private directory beside the
 * destination ({@code mkdir -m 700}, the name chosen by the caller), changes into it, checks that
 * it is still its own, and works on {@code ./f} there. Owner and mode are set on the empty file
 * before the content is written, and the file is renamed over the destination: a symlink at the
 * destination is replaced, never written through. The mode, owner and group of a regular file
 * being replaced are kept unless given; of its set-id bits, as {@link InheritedMode} says. Pure
 * functions; thread-safe.
 */
public final class PrivateDirWrite {
    public static final int NEW_FILE_MODE = 0644;

    private PrivateDirWrite() {}

    /** The name of the private directory for {@code dest} and a random {@code suffix}. */
    public static String dirName(String dest, String suffix) {
        return "." + baseName(dest) + ".opsctl-" + suffix;
    }

    /**
     * Writes {@code size} bytes read from {@code source} (a file the script removes), or from stdin
     * when empty, to {@code dest}. Fails (non-zero) when fewer bytes arrived: stdin closed early by
     * a lost connection must not replace the file with a truncated one.
     */
    public static String script(String dest, String suffix, FileAttrs attrs, long size, Optional<String> source) {
        StringBuilder s = new StringBuilder();
        // C: stat's words are compared below; a translated 'regular file' would pass as no file at all
        s.append("set -eu\numask 077\nLC_ALL=C; export LC_ALL\n");
        s.append(vars(dest, suffix));
        s.append("up=").append(quote(source.orElse(""))).append('\n');
        // where the shell is: '' not yet in $d, d in $d, p in the private directory
        s.append("at=\n");
        s.append("cleanup() {\n");
        // a TERM that arrives while cleaning up (killpg reaches cat and the shell at once) must not cut it short
        s.append("  trap '' TERM INT HUP\n");
        s.append("  if [ \"$at\" = p ]; then rm -f ./f; cd .. && at=d; fi\n");
        // rmdir removes only an empty directory and no symlink: safe on a name that may have been swapped
        s.append("  if [ \"$at\" = d ]; then rmdir -- \"$p\" 2>/dev/null || true; fi\n");
        s.append("  if [ -n \"$up\" ]; then rm -f -- \"$up\"; fi\n");
        s.append("}\n");
        s.append("trap cleanup EXIT\n");
        // dash runs no EXIT trap when a signal ends it; a timeout or interrupt sends TERM
        s.append("trap 'exit 143' TERM INT HUP\n");
        // a message to a closed connection must fail, not kill the shell before its EXIT trap
        s.append("trap '' PIPE\n");
        s.append("if ! [ -d \"$d\" ]; then echo \"opsctl: no directory '$d'\" >&2; exit 1; fi\n");
        s.append(SafeWalk.FUNCTION);
        s.append("walk_into \"$d\" 'nothing written' || exit 1\n");
        s.append("at=d\n");
        s.append("mkdir -m 700 -- \"$p\"\n");
        s.append("enter_private \"$p\" 'nothing written' || { [ $? -eq 1 ] || at=; exit 1; }\n");
        s.append("at=p\n");
        s.append("if [ -f \"../$b\" ] && ! [ -L \"../$b\" ]; then set -- $(stat -c '%u %g %a' -- \"../$b\"); ou=$1; og=$2; om=$3;"
                + " else ou=; og=; om=").append(octal(NEW_FILE_MODE)).append("; fi\n");
        s.append("o=").append(attrs.owner().map(PrivateDirWrite::quote).orElse("$ou")).append('\n');
        s.append("g=").append(attrs.group().map(PrivateDirWrite::quote).orElse("$og")).append('\n');
        s.append("m=").append(attrs.mode().map(PrivateDirWrite::octal).orElse("$om")).append('\n');
        // opened before the mode is set: a read-only mode (0400) must not stop a writer that is not root
        s.append("exec 3> ./f\n");
        // chown clears set-id bits, so the mode comes after it; both before the content
        s.append("if [ -n \"$o$g\" ]; then chown -- \"$o${g:+:$g}\" ./f; fi\n");
        if (attrs.mode().isEmpty()) {
            // the replaced file's set-id bits grant its owner's and group's ids: each kept only while that id stays
            s.append("if [ -n \"$ou\" ]; then\n");
            s.append("  set -- $(stat -c '%u %g' ./f)\n");
            s.append("  if [ \"$1\" != \"$ou\" ]; then m=$(printf %o $((0$m & ~04000))); fi\n");
            s.append("  if [ \"$2\" != \"$og\" ]; then m=$(printf %o $((0$m & ~02000))); fi\n");
            s.append("fi\n");
        }
        s.append("chmod -- \"$m\" ./f\n");
        s.append("cat").append(source.isPresent() ? " -- \"$up\"" : "").append(" >&3\n");
        s.append("exec 3>&-\n");
        // a write by a user without CAP_FSETID clears set-id bits again
        s.append("chmod -- \"$m\" ./f\n");
        s.append("n=$(stat -c %s ./f)\n");
        s.append("if [ \"$n\" != ").append(size).append(" ]; then echo \"opsctl: received $n of ").append(size)
                .append(" bytes\" >&2; exit 1; fi\n");
        s.append("sync -- ./f 2>/dev/null || sync\n");
        s.append("mv -fT -- ./f \"../$b\"\n");
        s.append("sync -- .. 2>/dev/null || true\n");
        return s.toString();
    }

    /** Removes what an unfinished {@link #script} left, if anything: for a caller whose script was killed or never ran. */
    public static String cleanup(String dest, String suffix, Optional<String> source) {
        return "LC_ALL=C; export LC_ALL\n" + vars(dest, suffix)
                + source.map(u -> "rm -f -- " + quote(u) + "\n").orElse("")
                + "[ -d \"$d\" ] || exit 0\n"
                + SafeWalk.FUNCTION
                + "walk_into \"$d\" 'nothing removed' 2>/dev/null || exit 0\n"
                + "[ -d \"$p\" ] || exit 0\n"
                + "enter_private \"$p\" 'nothing removed' || exit 1\n"
                + "rm -f ./f\ncd .. && rmdir -- \"$p\"\n";
    }

    private static String vars(String dest, String suffix) {
        int slash = dest.lastIndexOf('/');
        String dir = slash < 0 ? "." : slash == 0 ? "/" : dest.substring(0, slash);
        return "d=" + quote(dir) + "\nb=" + quote(baseName(dest)) + "\np=" + quote(dirName(dest, suffix)) + "\n";
    }

    private static String baseName(String dest) {
        return dest.substring(dest.lastIndexOf('/') + 1);
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }

    private static String quote(String s) {
        return SingleQuoted.of(s);
    }
}
