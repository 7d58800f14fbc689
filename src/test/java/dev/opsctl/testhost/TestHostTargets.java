package dev.opsctl.testhost;

import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.inventory.Host;
import dev.opsctl.target.Target;
import dev.opsctl.target.local.LocalTarget;
import dev.opsctl.target.ssh.SshConfig;
import dev.opsctl.target.ssh.SshOptions;
import dev.opsctl.target.ssh.SshTargets;
import java.util.List;
import java.util.Optional;

/** Targets for a run against one test host: every inventory host is that host over SSH (its key, its known_hosts); the controller is local. */
public final class TestHostTargets {
    private TestHostTargets() {}

    public static TargetProvider over(TestHost host) {
        return new TargetProvider() {
            @Override
            public Target open(Host h) {
                SshOptions o = SshOptions.defaults().withKnownHosts(List.of(host.knownHosts()), false)
                        .withIdentities(List.of(), false, Optional.empty());
                return SshTargets.target(h.name(), host.address(), Optional.of(host.sshPort()), Optional.of(host.user()),
                        Optional.of(host.key().toString()), SshConfig.empty(), o);
            }

            @Override
            public Target controller(Host forHost) {
                return new LocalTarget("localhost");
            }
        };
    }
}
