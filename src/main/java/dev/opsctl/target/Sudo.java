package dev.opsctl.target;

import dev.opsctl.source.Secret;
import java.util.Optional;

/** Whether and how to become another user. The password, if any, travels on stdin only. */
public record Sudo(boolean enabled, String user, Optional<Secret> password) {
    public static final Sudo NONE = new Sudo(false, "root", Optional.empty());
    public static final Sudo ROOT = new Sudo(true, "root", Optional.empty());

    public static Sudo withPassword(Secret password) {
        return new Sudo(true, "root", Optional.of(password));
    }

    /** Become {@code user}; sudo asks for {@code password} when there is one, else it must not ask ({@code -n}). */
    public static Sudo as(String user, Optional<Secret> password) {
        return new Sudo(true, user, password);
    }
}
