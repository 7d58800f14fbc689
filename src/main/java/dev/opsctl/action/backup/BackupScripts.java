package dev.opsctl.action.backup;

import dev.opsctl.template.ShellQuote;
import java.util.List;

/**
 * The shell that backs up and restores paths on the host. It runs through {@code Target.exec}, so
 * it works the same locally and over SSH, with sudo. A path's checksum is the sha256 of a file, or
 * for a directory the sha256 of the sorted {@code sha256sum} listing of every file in it plus a
 * {@code link <path> -> <target>} line for every symlink in it.
 *
 * <p>A path that is itself a symlink is followed: what is copied, checksummed and restored is the
 * file or directory it points to, and a restore writes into that, so the link stays a link. Symlinks
 * inside a backed-up directory are part of its content: copied, checksummed and restored as links.
 */
public final class BackupScripts {
    private static final String TREE_SUM = """
            tree_sum() {
              if [ -d "$1" ]; then
                (cd "$1" && {
                  find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
                  find . -type l -print0 | LC_ALL=C sort -z \\
                    | xargs -0 -r sh -c 'for l; do printf "link %s -> %s\\n" "$l" "$(readlink -- "$l")"; done' sh
                }) | sha256sum | cut -d' ' -f1
              else
                sha256sum < "$1" | cut -d' ' -f1
              fi
            }
            """;

    private static final String BACKUP = """
            src=$1; dst=$2
            if [ ! -e "$src" ] && [ ! -L "$src" ]; then echo absent; exit 0; fi
            if [ -L "$src" ]; then
              if ! real=$(readlink -f -- "$src") || [ ! -e "$real" ]; then
                echo "'$src' is a symlink to '$(readlink -- "$src")', which does not exist: there is nothing to back up" >&2; exit 1
              fi
              src=$real
            fi
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

    /*
     * Copy first (into a mktemp directory beside the original), then rename over the original, so the
     * original is never half-written. A directory cannot be renamed over a directory and coreutils
     * before 9.5 has no 'mv --exchange', so it is two renames: the original aside, the copy in. Signals
     * are ignored between them; if the second fails the original is moved back, and if that fails too
     * the error says where it is parked.
     */
    private static final String RESTORE = """
            orig=$1; b=$2; want=$3
            case "$orig" in /|"") echo "refusing to restore over '$orig'" >&2; exit 1;; esac
            if [ -L "$orig" ]; then
              link=$orig
              if ! orig=$(readlink -f -- "$link"); then echo "cannot resolve the symlink '$link'" >&2; exit 1; fi
              case "$orig" in /|"") echo "refusing to restore over '$orig' (the target of '$link')" >&2; exit 1;; esac
            fi
            work=$(mktemp -d -- "$(dirname -- "$orig")/.$(basename -- "$orig").opsctl-restore.XXXXXX")
            trap 'rm -rf -- "$work/new"; rmdir -- "$work" 2>/dev/null || true' EXIT
            cp -a -- "$b" "$work/new"
            if [ -d "$orig" ] && [ ! -L "$orig" ]; then
              trap '' HUP INT TERM
              mv -T -- "$orig" "$work/old"
              if ! mv -T -- "$work/new" "$orig"; then
                if mv -T -- "$work/old" "$orig"; then
                  echo "cannot move the restored copy of '$orig' into place; the original is back and unchanged" >&2; exit 1
                fi
                echo "cannot move the restored copy of '$orig' into place, nor the original back: the original is now '$work/old'" >&2
                exit 1
              fi
              trap - HUP INT TERM
              rm -rf -- "$work/old"
            else
              mv -f -T -- "$work/new" "$orig"
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
