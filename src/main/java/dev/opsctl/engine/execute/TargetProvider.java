package dev.opsctl.engine.execute;

import dev.opsctl.inventory.Host;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;

/**
 * Opens the target for a host; the app builds it from the target registry, the engine never knows
 * which system it is. The engine closes every target it opened when the host is done.
 */
public interface TargetProvider {
    /** The host's own target (local, ssh, ...). Connecting may be lazy; may throw kind UNREACHABLE. */
    Target open(Host host) throws TargetException;

    /** This machine, for steps with {@code on: controller} run on {@code forHost}'s behalf. */
    Target controller(Host forHost) throws TargetException;
}
