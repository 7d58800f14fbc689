package dev.opsctl.target;

import java.util.Optional;

/**
 * Mode (e.g. 0640), owner and group of a file to write, empty keeping the target's default; and
 * whom to write it as ({@link Sudo#NONE}: the login's user).
 */
public record FileAttrs(Optional<Integer> mode, Optional<String> owner, Optional<String> group, Sudo sudo) {
    public static final FileAttrs DEFAULT = new FileAttrs(Optional.empty(), Optional.empty(), Optional.empty(), Sudo.NONE);

    /** As root through passwordless sudo when {@code asRoot}. */
    public FileAttrs(Optional<Integer> mode, Optional<String> owner, Optional<String> group, boolean asRoot) {
        this(mode, owner, group, asRoot ? Sudo.ROOT : Sudo.NONE);
    }

    public static FileAttrs mode(int mode) {
        return new FileAttrs(Optional.of(mode), Optional.empty(), Optional.empty(), Sudo.NONE);
    }
}
