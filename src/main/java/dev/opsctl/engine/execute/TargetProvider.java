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

    /** Opens hosts' targets only; asking for the controller is refused (for callers that never need it). */
    interface HostsOnly extends TargetProvider {
        @Override
        default Target controller(Host forHost) throws TargetException {
            throw new TargetException(TargetException.Kind.REMOTE_FAILED, forHost.name(), "no controller target here");
        }
    }
}
