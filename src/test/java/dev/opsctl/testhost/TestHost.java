package dev.opsctl.testhost;

import dev.opsctl.inventory.Connection;
import dev.opsctl.inventory.Host;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One test host brought up by {@link DockerTestHosts}: its SSH endpoint (root, key
 * authentication, host key in {@code knownHosts}) and its workspace-app stand-in. Inside the host
 * the app is also {@code http://localhost:8000}, as the runbooks expect.
 */
public record TestHost(
        int number,
        String name,
        String address,
        int sshPort,
        String user,
        Path key,
        Path knownHosts,
        Path sshConfig,
        URI appUrl,
        Path stateDir) {

    /** {@code user@address}, for the {@code ssh} command line. */
    public String sshDestination() {
        return user + "@" + address;
    }

    /** The app stand-in's URL for {@code path} (which starts with '/'). */
    public URI app(String path) {
        return appUrl.resolve(path);
    }

    /** This host as an inventory entry reached over SSH, with {@code app_url} among its vars. */
    public Host toInventoryHost(List<String> groups) {
        return new Host(name, address, Optional.of(sshPort), Optional.of(user), Optional.of(key.toString()), false, "root",
                Connection.SSH, groups, Map.of("app_url", appUrl.toString(), "test_host_number", number));
    }
}
