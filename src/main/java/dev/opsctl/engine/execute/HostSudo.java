package dev.opsctl.engine.execute;

import dev.opsctl.inventory.Host;
import dev.opsctl.source.Secret;
import dev.opsctl.target.Sudo;
import java.util.Optional;

/** Whom a command runs as on a host: the one rule for runbook steps and {@code opsctl exec}. */
public final class HostSudo {
    private HostSudo() {}

    /**
     * Root when asked for explicitly (a step's {@code sudo: true}, exec's {@code -b}); else, for a
     * command that runs on the host itself, the inventory's become user when it says to become; else
     * the login's user. {@code password}: for sudo, when it asks.
     */
    public static Sudo of(Host host, boolean onHost, boolean asRoot, Optional<Secret> password) {
        if (asRoot) {
            return Sudo.as("root", password);
        }
        return onHost && host.become() ? Sudo.as(host.becomeUser(), password) : Sudo.NONE;
    }
}
