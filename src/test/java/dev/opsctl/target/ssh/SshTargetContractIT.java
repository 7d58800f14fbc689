package dev.opsctl.target.ssh;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared target contract, against a real OpenSSH sshd. */
class SshTargetContractIT extends TargetContract {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.6");

    @Override
    protected Target newTarget() {
        return SSHD.target();
    }

    @Override
    protected String newTempDir() throws Exception {
        String d = "/tmp/opsctl-contract-" + System.nanoTime();
        target.exec(ExecRequest.of("mkdir -m 700 " + d));
        return d;
    }
}
