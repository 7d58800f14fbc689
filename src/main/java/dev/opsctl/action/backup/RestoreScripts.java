package dev.opsctl.action.backup;

import dev.opsctl.target.SafeWalk;
import java.util.List;

/**
 * The shell that puts backed-up paths back, chosen by what the path was at backup time
 * ({@link Manifest.Kind}). No script follows a symlink that the manifest did not record: a path
 * that was a file or directory is replaced at exactly that path, and a path that was a symlink is
 * restored into the path it resolved to then, after checking that this is still the same kind of
 * thing and reached through no symlink, and the link is then put back with its recorded text.
 */
public final class RestoreScripts {
    private static final String CHECKS = """
            what() {
              if [ -L "$1" ]; then echo "a symlink"
              elif [ -d "$1" ]; then echo "a directory"
              elif [ -f "$1" ]; then echo "a file"
              elif [ -e "$1" ]; then echo "neither a file nor a directory"
              else echo "gone"; fi
            }
            refuse_unrecorded() {
              if [ -L "$orig" ]; then
                echo "'$orig' is a symlink, and the backup step did not record whether it was one nor where it pointed (a manifest from an older opsctl): restore it by hand or with explicit 'paths' naming the file to write" >&2
                exit 1
              fi
            }
            check_link() {
              if [ "$type" = dir ]; then noun=directory; else noun=file; fi
              now=$(what "$orig")
              if [ "$now" != "a $noun" ]; then
                echo "'$link' pointed to the $noun '$orig' at backup time, which is now $now: refusing to restore into it" >&2; exit 1
              fi
              if ! out_of readlink -f -- "$orig" || [ "$out" != "$orig" ]; then
                echo "'$link' pointed to '$orig' at backup time, which is now reached through a symlink (it resolves to '$out'): refusing to restore into it" >&2; exit 1
              fi
              if [ -L "$link" ]; then
                out_of readlink -- "$link"
                if [ "$out" != "$text" ]; then
                  echo "'$link' pointed to '$text' at backup time and now points to '$out': refusing to restore it (someone else changed the link; put it back by hand, or restore with explicit 'paths')" >&2; exit 1
                fi
              elif [ -d "$link" ] && [ -n "$(ls -A -- "$link")" ]; then
                echo "'$link' was a symlink to '$text' at backup time and is now a directory that is not empty: refusing to replace it" >&2; exit 1
              fi
            }
            """;

    private static final String VERIFY = """
            b=$2; want=$3
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
     * the error says where it is parked. A symlink at $orig is never followed: it is renamed over (or,
     * for a directory copy, aside) like a file.
     */
    private static final String PUT_BACK = """
            work=; inwork=; lwork=; inlwork=
            clean_up() {
              if [ -n "$inwork" ]; then rm -rf -- ./new; cd -P .. && rmdir -- "$work" 2>/dev/null || true; fi
              if [ -n "$inlwork" ]; then rm -f -- ./link; cd -P .. && rmdir -- "$lwork" 2>/dev/null || true; fi
            }
            trap clean_up EXIT
            put_back() {
              case "$orig" in /|"") echo "refusing to restore over '$orig'" >&2; exit 1;; esac
              case "$b" in /*) ;; *) b=$walk_start/$b ;; esac
              out_of dirname -- "$orig"; odir=$out
              out_of basename -- "$orig"; obase=$out
              # from here on names in the original's directory, entered without following a swappable link
              walk_into "$odir" 'nothing restored' || exit 1
              work=$(mktemp -d -- "./.$obase.opsctl-restore.XXXXXX"); work=${work#./}
              enter_private "$work" 'nothing restored' || exit 1
              inwork=1
              cp -a -- "$b" ./new
              o=../$obase
              if { [ -d "$o" ] && [ ! -L "$o" ]; } || { [ -d ./new ] && { [ -e "$o" ] || [ -L "$o" ]; }; }; then
                trap '' HUP INT TERM
                mv -T -- "$o" ./old
                if ! mv -T -- ./new "$o"; then
                  if mv -T -- ./old "$o"; then
                    echo "cannot move the restored copy of '$orig' into place; the original is back and unchanged" >&2; exit 1
                  fi
                  echo "cannot move the restored copy of '$orig' into place, nor the original back: the original is now '$(pwd -P)/old'" >&2
                  exit 1
                fi
                trap - HUP INT TERM
                if [ -d ./old ] && [ ! -L ./old ] && ! gnu_rm; then
                  echo "the replaced '$orig' is kept at '$(pwd -P)/old': this host's rm is not GNU's, and a recursive rm as root in a tree others may write is not safe with it; remove it by hand" >&2
                  inwork=; cd -P ..
                else
                  rm -rf -- ./old
                fi
              else
                mv -f -T -- ./new "$o"
              fi
              # its name may have been swapped meanwhile: rmdir removes no link and no full directory
              if [ -n "$inwork" ]; then inwork=; cd -P .. && { rmdir -- "$work" 2>/dev/null || true; }; fi
              work=
              got=$(tree_sum "./$obase")
              if [ "$got" != "$want" ]; then echo "'$orig' has sha256 $got after the restore, expected $want" >&2; exit 1; fi
            }
            """;

    /* A new link under a private name beside the path, renamed over it: the path is never missing or half-made. */
    private static final String RELINK = """
            relink() {
              out_of dirname -- "$link"; ldir=$out
              out_of basename -- "$link"; l=$out
              walk_into "$ldir" 'nothing restored' || exit 1
              if [ -L "./$l" ] && out_of readlink -- "./$l" && [ "$out" = "$text" ]; then return 0; fi
              if [ -d "./$l" ] && [ ! -L "./$l" ]; then rmdir -- "./$l"; fi
              lwork=$(mktemp -d -- "./.opsctl-relink.XXXXXX"); lwork=${lwork#./}
              enter_private "$lwork" 'nothing restored' || exit 1
              inlwork=1
              ln -s -- "$text" ./link
              mv -f -T -- ./link "../$l"
              inlwork=; cd -P .. && { rmdir -- "$lwork" 2>/dev/null || true; }
              echo relinked
            }
            """;

    private static final String HEAD = ShellParts.TREE_SUM + ShellParts.OUT_OF + ShellParts.GNU_RM + SafeWalk.FUNCTION + CHECKS;

    private RestoreScripts() {}

    /**
     * Prints {@code sha256 <hex>} of the entry's backup; fails when it differs from the recorded one
     * (empty: any), or when the path is no longer in a state this entry can be restored into.
     */
    public static String verify(Manifest.Entry e) {
        return ShellParts.script(HEAD + precondition(e) + VERIFY, args(e));
    }

    /** Puts the entry's backup in place and prints {@code sha256 <hex>}, plus {@code relinked} when a symlink was put back. */
    public static String restore(Manifest.Entry e) {
        String body = precondition(e) + (e.kind() instanceof Manifest.Kind.Symlink ? "put_back\nrelink\n" : "put_back\n");
        return ShellParts.script(HEAD + PUT_BACK + RELINK + body + "echo \"sha256 $got\"\n", args(e));
    }

    /** For a path that was absent at backup time: whatever appeared there since goes. */
    public static String remove(String original) {
        return ShellParts.script(ShellParts.OUT_OF + ShellParts.GNU_RM + SafeWalk.FUNCTION + """
                orig=$1
                case "$orig" in /|"") echo "refusing to remove '$orig'" >&2; exit 1;; esac
                out_of dirname -- "$orig"; odir=$out
                out_of basename -- "$orig"; obase=$out
                if [ ! -d "$odir" ]; then exit 0; fi
                walk_into "$odir" 'nothing removed' || exit 1
                if [ -d "./$obase" ] && [ ! -L "./$obase" ] && ! gnu_rm; then
                  echo "refusing to remove the directory '$orig' as root with an rm that is not GNU's; remove it by hand" >&2; exit 1
                fi
                rm -rf -- "./$obase"
                """, List.of(original));
    }

    private static String precondition(Manifest.Entry e) {
        if (e.kind() instanceof Manifest.Kind.Symlink) {
            return "link=$1; b=$2; want=$3; text=$4; orig=$5; type=$6\ncheck_link\n";
        }
        return "orig=$1; b=$2; want=$3\n" + (e.kind() instanceof Manifest.Kind.Unrecorded ? "refuse_unrecorded\n" : "");
    }

    private static List<String> args(Manifest.Entry e) {
        if (e.kind() instanceof Manifest.Kind.Symlink l) {
            return List.of(e.original(), e.backup(), e.sha256(), l.target(), l.resolved(), l.resolvedType().word());
        }
        return List.of(e.original(), e.backup(), e.sha256());
    }
}
