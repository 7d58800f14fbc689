package dev.opsctl.target.ssh;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared target contract over SSH for a login user whose login shell is ksh93 (AIX's and Solaris's root shell). */
@ExtendWith(LoginShellCasesOnly.class)
class KshLoginTargetContractIT extends LoginShellTargetContract {
    private static final String USER = "opsctl-login-ksh";

    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.240").withLoginUser(USER, "/bin/ksh93");

    KshLoginTargetContractIT() {
        super(SSHD, USER);
    }
}
