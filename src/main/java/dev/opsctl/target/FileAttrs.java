package dev.opsctl.target;

import java.util.Optional;

/** Mode (e.g. 0640), owner and group of a file to write; empty keeps the target's default. */
public record FileAttrs(Optional<Integer> mode, Optional<String> owner, Optional<String> group, boolean sudo) {
    public static final FileAttrs DEFAULT = new FileAttrs(Optional.empty(), Optional.empty(), Optional.empty(), false);

    public static FileAttrs mode(int mode) {
        return new FileAttrs(Optional.of(mode), Optional.empty(), Optional.empty(), false);
    }
}
