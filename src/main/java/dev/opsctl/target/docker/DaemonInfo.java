package dev.opsctl.target.docker;

import java.util.List;

/** What {@code docker info} says that runbooks check: version, data root, security options, container counts. */
public record DaemonInfo(
        String name, String serverVersion, String rootDir, List<String> securityOptions, long containers, long containersRunning) {

    public DaemonInfo {
        securityOptions = List.copyOf(securityOptions);
    }

    /** True when user-namespace remapping is on ({@code name=userns} among the security options). */
    public boolean userns() {
        return securityOptions.stream().anyMatch(o -> o.equals("name=userns") || o.startsWith("name=userns,"));
    }
}
