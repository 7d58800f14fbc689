package dev.opsctl.action.backup;

import dev.opsctl.template.ShellQuote;
import java.util.List;

/** Shell functions the backup and restore scripts share, and how a script gets its arguments. */
final class ShellParts {
    /**
     * A path's checksum: the sha256 of a file, or for a directory the sha256 of the sorted
     * {@code sha256sum} listing of every file in it plus a {@code link <path> -> <target>} line for
     * every symlink in it.
     */
    static final String TREE_SUM = """
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

    /*
     * $(...) drops every trailing newline, and a path or a link's text may end with one: the '.' keeps
     * them, and then only the one newline the command itself prints is cut off. The result is in $out.
     */
    static final String OUT_OF = """
            out_of() { out=$("$@" && echo .) || return 1; out=${out%.}; out=${out%?}; }
            """;

    /** Whether {@code rm} is GNU's: BusyBox's follows a directory swapped for a link while it descends. */
    static final String GNU_RM = """
            gnu_rm() { rm --version 2>/dev/null | grep -q GNU; }
            """;

    private ShellParts() {}

    static String script(String body, List<String> args) {
        StringBuilder s = new StringBuilder("set -eu\nset --");
        args.forEach(a -> s.append(' ').append(ShellQuote.quote(a)));
        return s.append('\n').append(body).toString();
    }
}
