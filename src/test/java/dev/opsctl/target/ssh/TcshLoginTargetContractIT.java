package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetContract;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared target contract over SSH for a login user whose login shell is tcsh (root's on
 * FreeBSD): sshd hands the command line to csh, which runs each of its lines on its own and expands
 * '!' even in single quotes.
 */
class TcshLoginTargetContractIT extends TargetContract {
    private static final String USER = "opsctl-test-tcsh";

    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.182");

    @BeforeAll
    static void tcshLogin() throws Exception {
        OpenSshServer.ensureLoginUser(USER, "/usr/bin/tcsh");
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
        String d = "/tmp/opsctl-tcsh-contract-" + System.nanoTime();
        target.exec(ExecRequest.of("mkdir -m 700 " + d));
        return d;
    }

    /** Before, csh ran the first line's unmatched quote as an error and the next two lines itself: 'two' and 'three!'. */
    @Test
    void aCommandOfManyLinesRunsWholeInSh() throws Exception {
        ExecResult r = target.exec(ExecRequest.of("echo \"one $OPSCTL_X\"\necho 'two'\necho \"three!\"; echo \"$0\"")
                .withEnv(Map.of("OPSCTL_X", "x")));
        assertEquals("one x\ntwo\nthree!\n/bin/sh\n", r.stdout(), r.stderr());
        assertEquals("", r.stderr());
        assertEquals(0, r.exitCode());
    }
}
