package dev.opsctl.action.backup;

import dev.opsctl.template.ShellQuote;
import java.util.List;

/**
 * The shell that backs up and restores paths on the host. It runs through {@code Target.exec}, so
 * it works the same locally and over SSH, with sudo. A path's checksum is the sha256 of a file, or
 * for a directory the sha256 of the sorted {@code sha256sum} listing of every file in it.
 */
public final class BackupScripts {
    private static final String TREE_SUM = """
            tree_sum() {
              if [ -d "$1" ]; then
                (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) | sha256sum | cut -d' ' -f1
              else
                sha256sum < "$1" | cut -d' ' -f1
              fi
            }
            """;

    private static final String BACKUP = """
            src=$1; dst=$2
            if [ ! -e "$src" ] && [ ! -L "$src" ]; then echo absent; exit 0; fi
            if [ -e "$dst" ] || [ -L "$dst" ]; then echo "backup path '$dst' already exists" >&2; exit 1; fi
            mkdir -p -- "$(dirname -- "$dst")"
            before=$(tree_sum "$src")
            cp -a -- "$src" "$dst"
            after=$(tree_sum "$dst")
            if [ "$before" != "$after" ]; then echo "'$src' changed while it was copied" >&2; exit 1; fi
            echo "sha256 $after"
            """;

    private static final String VERIFY = """
            b=$1; want=$2
            if [ ! -e "$b" ]; then echo "backup '$b' is missing" >&2; exit 1; fi
            got=$(tree_sum "$b")
            if [ -n "$want" ] && [ "$got" != "$want" ]; then
              echo "backup '$b' has sha256 $got, expected $want: it changed since it was made" >&2; exit 1
            fi
            echo "sha256 $got"
            """;

    // copy first, then rename over the original, so the original is never half-written
    private static final String RESTORE = """
            orig=$1; b=$2; want=$3
            case "$orig" in /|"") echo "refusing to restore over '$orig'" >&2; exit 1;; esac
            tmp="$orig.opsctl-restore.$$"
            rm -rf -- "$tmp"
            cp -a -- "$b" "$tmp"
            if [ -d "$orig" ] && [ ! -L "$orig" ]; then
              old="$orig.opsctl-old.$$"
              mv -- "$orig" "$old"
              mv -- "$tmp" "$orig"
              rm -rf -- "$old"
            else
              mv -f -- "$tmp" "$orig"
            fi
            got=$(tree_sum "$orig")
            if [ "$got" != "$want" ]; then echo "'$orig' has sha256 $got after the restore, expected $want" >&2; exit 1; fi
            echo "sha256 $got"
            """;

    private static final String REMOVE = """
            orig=$1
            case "$orig" in /|"") echo "refusing to remove '$orig'" >&2; exit 1;; esac
            rm -rf -- "$orig"
            """;

    private BackupScripts() {}

    /** Prints {@code absent}, or {@code sha256 <hex>} of the verified copy. */
    public static String backup(String path, String backupPath) {
        return script(TREE_SUM + BACKUP, List.of(path, backupPath));
    }

    /** Prints {@code sha256 <hex>} of the backup; fails when it differs from {@code expected} (empty: any). */
    public static String verify(String backupPath, String expected) {
        return script(TREE_SUM + VERIFY, List.of(backupPath, expected));
    }

    public static String restore(String original, String backupPath, String expected) {
        return script(TREE_SUM + RESTORE, List.of(original, backupPath, expected));
    }

    /** For a path that was absent at backup time: whatever appeared there since goes. */
    public static String remove(String original) {
        return script(REMOVE, List.of(original));
    }

    /** The sha256 printed by a script, or empty. */
    public static String checksum(String stdout) {
        for (String line : stdout.split("\n")) {
            if (line.startsWith("sha256 ")) {
                return line.substring("sha256 ".length()).strip();
            }
        }
        return "";
    }

    private static String script(String body, List<String> args) {
        StringBuilder s = new StringBuilder("set -eu\nset --");
        args.forEach(a -> s.append(' ').append(ShellQuote.quote(a)));
        return s.append('\n').append(body).toString();
    }
}
