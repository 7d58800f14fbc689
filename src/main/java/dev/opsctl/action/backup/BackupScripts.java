package dev.opsctl.action.backup;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The shell that backs up paths on the host. It runs through {@code Target.exec}, so it works the
 * same locally and over SSH, with sudo. A path that is itself a symlink is followed: what is copied
 * and checksummed is the file or directory it points to, and the link's text and that resolved
 * path are reported so that a restore never has to resolve the link again. Symlinks inside a
 * backed-up directory are part of its content: copied, checksummed and restored as links.
 */
public final class BackupScripts {
    /*
     * The link's text and the resolved path are printed in hex: either may hold a newline, and the
     * output is read line by line.
     */
    private static final String BACKUP = """
            hex() { printf %s "$1" | od -An -v -tx1 | tr -d ' \\n'; }
            src=$1; dst=$2
            if [ ! -e "$src" ] && [ ! -L "$src" ]; then echo absent; exit 0; fi
            if [ -L "$src" ]; then
              out_of readlink -- "$src"; text=$out
              if ! out_of readlink -f -- "$src" || [ ! -e "$out" ]; then
                echo "'$src' is a symlink to '$text', which does not exist: there is nothing to back up" >&2; exit 1
              fi
              src=$out
              if [ -d "$src" ]; then type=dir; elif [ -f "$src" ]; then type=file; else
                echo "'$1' is a symlink to '$src', which is neither a file nor a directory" >&2; exit 1
              fi
              text_hex=$(hex "$text"); src_hex=$(hex "$src")
              echo "link $text_hex $src_hex $type"
            else
              if [ -d "$src" ]; then type=dir; else type=file; fi
              echo "type $type"
            fi
            if [ -e "$dst" ] || [ -L "$dst" ]; then echo "backup path '$dst' already exists" >&2; exit 1; fi
            out_of dirname -- "$dst"; mkdir -p -- "$out"
            before=$(tree_sum "$src")
            cp -a -- "$src" "$dst"
            if [ -L "$dst" ] || { [ -d "$dst" ] && [ "$type" = file ]; } || { [ ! -d "$dst" ] && [ "$type" = dir ]; }; then
              echo "'$src' changed while it was copied: it was replaced" >&2; exit 1
            fi
            after=$(tree_sum "$dst")
            if [ "$before" != "$after" ]; then echo "'$src' changed while it was copied" >&2; exit 1; fi
            echo "sha256 $after"
            """;

    private BackupScripts() {}

    /** Prints {@code absent}, or what the path is ({@link #kind}) and {@code sha256 <hex>} of the verified copy. */
    public static String backup(String path, String backupPath) {
        return ShellParts.script(ShellParts.TREE_SUM + ShellParts.OUT_OF + BACKUP, List.of(path, backupPath));
    }

    /** The sha256 printed by a script, or empty. */
    public static String checksum(String stdout) {
        return line(stdout, "sha256 ").map(String::strip).orElse("");
    }

    /** What {@link #backup} found at the path, or empty when it printed no kind (absent or failed). */
    public static Optional<Manifest.Kind> kind(String stdout) {
        Optional<String> plain = line(stdout, "type ");
        if (plain.isPresent()) {
            return Manifest.Type.of(plain.get()).map(Manifest.Kind.Plain::new);
        }
        Optional<String[]> link = line(stdout, "link ").map(l -> l.split(" "));
        if (link.isEmpty() || link.get().length != 3 || link.get()[0].isEmpty() || link.get()[1].isEmpty()) {
            return Optional.empty();
        }
        String[] f = link.get();
        return Manifest.Type.of(f[2]).map(t -> new Manifest.Kind.Symlink(text(f[0]), text(f[1]), t));
    }

    private static String text(String hex) {
        return new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
    }

    private static Optional<String> line(String stdout, String prefix) {
        for (String line : stdout.split("\n")) {
            if (line.startsWith(prefix)) {
                return Optional.of(line.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }
}
