package dev.opsctl.target.ssh;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared target contract over SSH for a login user whose login shell is dash: /bin/sh itself on Debian, a login shell of its own elsewhere. */
@ExtendWith(LoginShellCasesOnly.class)
class DashLoginTargetContractIT extends LoginShellTargetContract {
    private static final String USER = "opsctl-login-dash";

    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.238").withLoginUser(USER, "/bin/dash");

    DashLoginTargetContractIT() {
        super(SSHD, USER);
    }
}
