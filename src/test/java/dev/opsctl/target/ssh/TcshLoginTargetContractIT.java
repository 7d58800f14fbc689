package dev.opsctl.target.ssh;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared target contract over SSH for a login user whose login shell is tcsh (root's on
 * FreeBSD): sshd hands the command line to csh, which runs each of its lines on its own and expands
 * '!' even in single quotes.
 */
class TcshLoginTargetContractIT extends LoginShellTargetContract {
    private static final String USER = "opsctl-login-tcsh";

    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.182").withLoginUser(USER, "/usr/bin/tcsh");

    TcshLoginTargetContractIT() {
        super(SSHD, USER);
    }
}
