package dev.opsctl.target.docker;

import dev.opsctl.target.ssh.SshConfig;
import dev.opsctl.target.ssh.SshOptions;
import dev.opsctl.target.ssh.SshTarget;
import dev.opsctl.target.ssh.SshTargets;
import dev.opsctl.testhost.TestHost;
import java.util.List;
import java.util.Optional;

/** The real SSH target for a test host, with the fixture's key and known_hosts and nothing from ~/.ssh. */
final class TestHostSsh {
    private TestHostSsh() {}

    static SshTarget target(TestHost h) {
        SshOptions o = SshOptions.defaults()
                .withKnownHosts(List.of(h.knownHosts()), false)
                .withIdentities(List.of(), false, Optional.empty());
        return SshTargets.target(h.name(), h.address(), Optional.of(h.sshPort()), Optional.of(h.user()),
                Optional.of(h.key().toString()), SshConfig.empty(), o);
    }
}
