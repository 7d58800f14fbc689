package dev.opsctl.app;

import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.inventory.Connection;
import dev.opsctl.inventory.Host;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.local.LocalTarget;

/**
 * Targets for local hosts and {@code on: controller} steps. SSH hosts are refused as unreachable
 * until the ssh target is wired here.
 */
public final class LocalTargets implements TargetProvider {
    @Override
    public Target open(Host host) throws TargetException {
        if (host.connection() == Connection.LOCAL) {
            return new LocalTarget(host.name());
        }
        throw new TargetException(TargetException.Kind.UNREACHABLE, host.name(),
                "host '" + host.name() + "' needs the ssh target, which this build does not have yet");
    }

    @Override
    public Target controller(Host forHost) {
        return new LocalTarget("localhost");
    }
}
