package dev.opsctl.app;

import dev.opsctl.inventory.Host;
import dev.opsctl.target.Target;

/** Makes the target through which a host is reached. Thread-safe; the caller closes the target. */
@FunctionalInterface
public interface TargetFactory {
    Target open(Host host);
}
