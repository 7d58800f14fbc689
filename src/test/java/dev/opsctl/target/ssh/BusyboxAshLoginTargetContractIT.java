package dev.opsctl.target.ssh;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared target contract over SSH for a login user whose login shell is busybox's ash (Alpine's and embedded systems' login shell). */
@ExtendWith(LoginShellCasesOnly.class)
class BusyboxAshLoginTargetContractIT extends LoginShellTargetContract {
    private static final String USER = "opsctl-login-ash";

    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.241").withLoginUser(USER, OpenSshServer.busybox("ash"));

    BusyboxAshLoginTargetContractIT() {
        super(SSHD, USER);
    }
}
