package dev.opsctl.target.ssh;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared target contract over SSH for a login user whose login shell is mksh (Android's shell, the Korn shell of some BSDs). */
@ExtendWith(LoginShellCasesOnly.class)
class MkshLoginTargetContractIT extends LoginShellTargetContract {
    private static final String USER = "opsctl-login-mksh";

    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.239").withLoginUser(USER, "/usr/bin/mksh");

    MkshLoginTargetContractIT() {
        super(SSHD, USER);
    }
}
