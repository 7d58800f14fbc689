package dev.opsctl.action;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.Target;
import dev.opsctl.target.ssh.OpenSshServer;
import dev.opsctl.target.ssh.SshSettings;
import dev.opsctl.target.ssh.SshTargets;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The step contract over SSH, against a real OpenSSH sshd, logged in as the unprivileged test user. */
class SshStepContractIT extends StepContract {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.7");

    @Override
    protected Target newTarget() {
        SshSettings s = SSHD.settings();
        return SshTargets.target(new SshSettings("web-1", s.hostName(), s.port(), s.user(), s.identityFiles(), s.useAgent(),
                s.agentSocket(), s.jumps(), s.knownHostsFiles(), s.acceptNewHostKeys(), s.connectTimeout(),
                s.serverAliveInterval(), s.passphrases()));
    }

    @Override
    protected String newTempDir() throws Exception {
        String d = "/tmp/opsctl-steps-" + System.nanoTime();
        target.exec(ExecRequest.of("mkdir -m 700 " + d));
        return d;
    }
}
