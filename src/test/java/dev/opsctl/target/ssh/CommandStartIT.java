package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.source.Secret;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.TargetException;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A command that never started (sudo refused it, or the login shell would not run it) is a failure
 * of the host, never an exit code to judge: {@code test -e /var/run/stale.lock} exits 1 for "no lock",
 * and so do {@code sudo -n} wanting a password and a {@code nologin} shell.
 */
class CommandStartIT {
    private static final String NOLOGIN = "opsctl-login-nologin";
    private static final String FALSE = "opsctl-login-false";
    private static final String NO_SUDO = "opsctl-login-nosudo";
    /** Exits 1 when the file is not there: the answer a "no stale lock" check wants. */
    private static final String CHECK = "test -e /nonexistent/opsctl-stale.lock";

    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.226").withLoginUser(NOLOGIN, "/usr/sbin/nologin")
            .withLoginUser(FALSE, "/bin/false");

    @BeforeAll
    static void userWithoutSudo() throws Exception {
        OpenSshServer.ensureLoginUser(NO_SUDO, "/bin/sh");
    }

    private static TargetException refused(String user, ExecRequest request) throws Exception {
        try (SshTarget t = new SshTarget(SSHD.settings(user), SSHD.dir())) {
            return assertThrows(TargetException.class, () -> {
                ExecResult r = t.exec(request);
                throw new AssertionError("judged as the command's: exit " + r.exitCode() + ", stderr '" + r.stderr() + "'");
            });
        }
    }

    @Test
    void sudoWantingAPasswordIsAFailureOfTheHostNotExit1() throws Exception {
        TargetException e = refused(OpenSshServer.PASSWORD_USER, ExecRequest.of(CHECK).withSudo(Sudo.ROOT));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
        assertTrue(e.notStarted(), e.getMessage());
        assertTrue(e.getMessage().startsWith("sudo on host '" + SSHD.address() + "' refused to run the command as 'root': "
                + "'sudo: a password is required'; fix: "), e.getMessage());
        assertTrue(e.getMessage().contains("--ask-sudo-password"), e.getMessage());
    }

    @Test
    void aWrongSudoPasswordIsAFailureOfTheHostNotExit1() throws Exception {
        Sudo wrong = Sudo.withPassword(new Secret("not-" + OpenSshServer.SUDO_PASSWORD));
        TargetException e = refused(OpenSshServer.PASSWORD_USER, ExecRequest.of(CHECK).withSudo(wrong));
        assertTrue(e.notStarted(), e.getMessage());
        assertTrue(e.getMessage().startsWith("sudo on host '" + SSHD.address() + "' refused to run the command as 'root': "), e.getMessage());
        assertTrue(e.getMessage().contains("did not accept the password"), e.getMessage());
        // and with input, which waits for the command to start before it is sent
        TargetException withInput = refused(OpenSshServer.PASSWORD_USER, ExecRequest.of("cat >/dev/null; " + CHECK).withSudo(wrong)
                .withStdin("input\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(withInput.notStarted(), withInput.getMessage());
    }

    @Test
    void aUserNotInSudoersIsAFailureOfTheHostNotExit1() throws Exception {
        TargetException e = refused(NO_SUDO, ExecRequest.of(CHECK).withSudo(Sudo.ROOT));
        assertTrue(e.notStarted(), e.getMessage());
        assertTrue(e.getMessage().startsWith("sudo on host '" + SSHD.address() + "' refused to run the command as 'root': 'sudo: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("fix: allow it in sudoers"), e.getMessage());
    }

    @Test
    void aLoginShellThatRunsNoCommandIsAFailureOfTheHostNotExit1() throws Exception {
        for (Sudo sudo : new Sudo[] {Sudo.NONE, Sudo.ROOT}) {
            TargetException e = refused(NOLOGIN, ExecRequest.of(CHECK).withSudo(sudo));
            assertTrue(e.notStarted(), e.getMessage());
            assertTrue(e.getMessage().startsWith("the login shell of user '" + NOLOGIN + "' on host '" + SSHD.address()
                    + "' did not run the command (exit 1): 'This account is currently not available.'; fix: "), e.getMessage());
        }
        TargetException e = refused(FALSE, ExecRequest.of(CHECK));
        assertTrue(e.getMessage().startsWith("the login shell of user '" + FALSE + "' on host '" + SSHD.address()
                + "' did not run the command (exit 1)"), e.getMessage());
    }

    @Test
    void aCommandThatRanKeepsItsExitCode() throws Exception {
        try (SshTarget t = new SshTarget(SSHD.settings(OpenSshServer.PASSWORD_USER), SSHD.dir())) {
            assertEquals(1, t.exec(ExecRequest.of(CHECK)).exitCode());
            Sudo right = Sudo.withPassword(new Secret(OpenSshServer.SUDO_PASSWORD));
            assertEquals(1, t.exec(ExecRequest.of(CHECK).withSudo(right)).exitCode());
            assertEquals(1, t.exec(ExecRequest.of("cat >/dev/null; " + CHECK).withSudo(right).withStdin(new byte[] {'x'})).exitCode());
            ExecResult sudoItself = t.exec(ExecRequest.of("sudo -n true").withSudo(Sudo.NONE));
            assertEquals(1, sudoItself.exitCode(), "the command's own sudo failing is the command's exit: " + sudoItself.stderr());
        }
        try (SshTarget t = new SshTarget(SSHD.settings(OpenSshServer.USER), SSHD.dir())) {
            assertEquals(1, t.exec(ExecRequest.of(CHECK).withSudo(Sudo.ROOT)).exitCode());
            assertEquals(0, t.exec(ExecRequest.of("exit 0").withSudo(Sudo.ROOT)).exitCode());
        }
    }
}
