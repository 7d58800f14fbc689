package dev.opsctl.target.ssh;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared target contract over SSH for a login user whose login shell is bash, as on most hosts:
 * a command means what it means locally ({@code /bin/sh}), not what it means to bash.
 */
class BashLoginTargetContractIT extends LoginShellTargetContract {
    private static final String USER = "opsctl-login-bash";

    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.161").withLoginUser(USER, "/bin/bash");

    BashLoginTargetContractIT() {
        super(SSHD, USER);
    }
}
