package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetContract;
import dev.opsctl.target.TargetException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
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
    protected String supplementaryGroup() {
        return OpenSshServer.GROUP;
    }

    @Test
    void anOwnerTheLoginMayNotSetFailsTheWriteBeforeTheFileIsReplaced() throws Exception {
        String p = path("kept.conf");
        target.put(p, "old".getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0644));
        TargetException e = assertThrows(TargetException.class, () -> target.put(p, "new".getBytes(StandardCharsets.UTF_8),
                new FileAttrs(Optional.empty(), Optional.of("root"), Optional.empty(), false)));
        assertEquals(TargetException.Kind.REMOTE_FAILED, e.kind());
        assertTrue(e.getMessage().contains("not changed"), e.getMessage());
        assertEquals("old", new String(target.get(p, false), StandardCharsets.UTF_8));
        assertEquals("kept.conf\n", sh("ls -A " + dir).stdout(), "no temporary file left behind");
    }

    @Override
    protected String newTempDir() throws Exception {
        String d = "/tmp/opsctl-contract-" + System.nanoTime();
        target.exec(ExecRequest.of("mkdir -m 700 " + d));
        return d;
    }
}
