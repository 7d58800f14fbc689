package dev.opsctl.target.ssh;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared target contract over SSH for a login user whose login shell is fish (some users' own
 * choice, also on servers): it reads {@code \\} and {@code \'} as escapes even in single quotes.
 */
class FishLoginTargetContractIT extends LoginShellTargetContract {
    private static final String USER = "opsctl-login-fish";

    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.236").withLoginUser(USER, "/usr/bin/fish");

    FishLoginTargetContractIT() {
        super(SSHD, USER);
    }
}
