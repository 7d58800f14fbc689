package dev.opsctl.target;

/**
 * A shell function, {@code walk_into DIR WHAT}, that changes into {@code DIR} one name at a time,
 * for scripts that then act with privileges on a name in it. Any user who may write a directory on
 * the way (a home directory, a shared or sticky one) could swap a name there for a symlink between
 * two commands, and a root write or restore would land wherever it points. So a symlink is never
 * left to the kernel: in a directory only root and this user may write, its text is walked in turn,
 * name by name (40 at most, as the kernel's own limit); in any other directory it is refused. Each
 * directory entered must be the one that was looked at ({@code stat} device and inode before and
 * after the {@code cd}). {@code WHAT} ends the refusal's message ("nothing written"). A relative
 * {@code DIR} is taken from {@code $walk_start}, the script's starting directory (physical) set by
 * {@link #FUNCTION}, and walked from {@code /} like any other. Needs {@code stat -c} (GNU or BusyBox) and {@code readlink}.
 *
 * <p>And {@code enter_private NAME WHAT}, for a directory the script just made with mode 0700 in
 * the current one: others who may write the current one could rename it and put a link in its
 * place, so it is entered and checked (ours, 0700 apart from a set-group-id bit a parent passes
 * on, directly below) and used as {@code .} from then on. On a failed check it returns 1 back in
 * the directory it started from, or 2 when it cannot get back.
 */
public final class SafeWalk {
    public static final String FUNCTION = """
            walk_start=$(pwd -P)
            walk_into() {
              walk_dir=$1; walk_what=$2; walk_hops=0; walk_rest=$1
              # from / always: the starting directory's own path is walked too, not trusted by name
              case "$walk_rest" in /*) ;; *) walk_rest=$walk_start/$walk_rest ;; esac
              cd / || return 1
              while [ -n "$walk_rest" ]; do
                c=${walk_rest%%/*}
                case "$walk_rest" in */*) walk_rest=${walk_rest#*/} ;; *) walk_rest= ;; esac
                if [ -z "$c" ] || [ "$c" = . ]; then continue; fi
                if [ "$c" = .. ]; then cd -P .. || return 1; continue; fi
                if [ -L "$c" ]; then
                  set -- $(stat -c '%u %a' .)
                  if { [ "$1" != 0 ] && [ "$1" != "$(id -u)" ]; } || [ $(( 0$2 & 022 )) -ne 0 ]; then
                    echo "opsctl: '$(pwd -P)/$c' is a symbolic link in a directory others can write; $walk_what (give the path it points to)" >&2
                    return 1
                  fi
                  walk_hops=$((walk_hops + 1))
                  if [ "$walk_hops" -gt 40 ]; then echo "opsctl: too many symbolic links on the way to '$walk_dir'; $walk_what" >&2; return 1; fi
                  t=$(readlink -- "$c"; echo .); t=${t%.}; t=${t%?}
                  case "$t" in /*) cd / ;; esac
                  walk_rest=$t${walk_rest:+/$walk_rest}
                  continue
                fi
                if [ ! -d "$c" ]; then echo "opsctl: no directory '$walk_dir'" >&2; return 1; fi
                set -- $(stat -c '%d %i' -- "./$c")
                cd -P -- "./$c" || return 1
                if [ "$(stat -c '%d %i' .)" != "$1 $2" ]; then
                  echo "opsctl: '$c' on the way to '$walk_dir' was replaced while it was entered; $walk_what" >&2
                  return 1
                fi
              done
            }
            enter_private() {
              private_here=$(pwd -P)
              cd -P -- "./$1" || return 1
              set -- "$1" "$2" $(stat -c '%u %a' .)
              if [ "$3" != "$(id -u)" ] || [ $(( 0$4 & 0777 )) -ne 448 ] || [ "$(cd -P .. && pwd -P)" != "$private_here" ]; then
                echo "opsctl: '$private_here/$1' was replaced while it was entered; $2" >&2
                cd -P -- "$private_here" 2>/dev/null || return 2
                return 1
              fi
            }
            """;

    private SafeWalk() {}
}
