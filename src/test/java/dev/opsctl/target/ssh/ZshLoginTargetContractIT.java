package dev.opsctl.target.ssh;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared target contract over SSH for a login user whose login shell is zsh (macOS's default): it does not split unquoted variables and expands {@code =word}. */
@ExtendWith(LoginShellCasesOnly.class)
class ZshLoginTargetContractIT extends LoginShellTargetContract {
    private static final String USER = "opsctl-login-zsh";

    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.237").withLoginUser(USER, "/usr/bin/zsh");

    ZshLoginTargetContractIT() {
        super(SSHD, USER);
    }
}
