package dev.opsctl.target.ssh;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared target contract over SSH for a login user whose login shell is bash, as on most hosts:
 * a command means what it means locally ({@code /bin/sh}), not what it means to bash.
 */
class BashLoginTargetContractIT extends TargetContract {
    private static final String USER = "opsctl-test-bash";

    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.161");

    @BeforeAll
    static void bashLogin() throws Exception {
        OpenSshServer.ensureLoginUser(USER, "/bin/bash");
    }

    @Override
    protected Target newTarget() {
        return new SshTarget(SSHD.settings(USER), SSHD.dir());
    }

    @Override
    protected String supplementaryGroup() {
        return OpenSshServer.GROUP;
    }

    @Override
    protected String newTempDir() throws Exception {
        String d = "/tmp/opsctl-bash-contract-" + System.nanoTime();
        target.exec(ExecRequest.of("mkdir -m 700 " + d));
        return d;
    }
}
