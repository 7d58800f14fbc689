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

    @Test
    void aSudoPutWhoseConnectionBreaksLeavesNoUploadAndNoPrivateDirectory() throws Exception {
        java.util.Set<String> before = uploads();
        byte[] content = new byte[48 * 1024 * 1024];
        for (long delay : new long[] {100, 400, 900}) {
            String p = path("dropped-" + delay);
            Thread t = new Thread(() -> {
                try {
                    target.put(p, content, new FileAttrs(Optional.of(0600), Optional.empty(), Optional.empty(), true));
                } catch (Exception e) {
                    // the lost connection: what is left behind is the question
                }
            });
            t.start();
            Thread.sleep(delay);
            SSHD.dropSessions();
            t.join(60_000);
            assertEquals("", fresh("ls -A " + dir + " | grep opsctl || true"), "after " + delay + " ms");
        }
        java.util.Set<String> left = uploads();
        left.removeAll(before);
        for (int i = 0; i < 50 && !left.isEmpty(); i++) {
            // another build's upload on this machine comes and goes; ours would stay
            Thread.sleep(100);
            left.retainAll(uploads());
        }
        assertEquals(java.util.Set.of(), left, "uploads left in /tmp");
    }

    private java.util.Set<String> uploads() throws Exception {
        return new java.util.HashSet<>(fresh("ls -A /tmp | grep '^.opsctl-upload' || true").lines().toList());
    }

    /** The output of {@code command} on a connection of its own: the test's may be the one that broke. */
    private static String fresh(String command) throws Exception {
        try (SshTarget t = SSHD.target()) {
            return t.exec(ExecRequest.of(command)).stdout();
        }
    }

    @Override
    protected String newTempDir() throws Exception {
        String d = "/tmp/opsctl-contract-" + System.nanoTime();
        target.exec(ExecRequest.of("mkdir -m 700 " + d));
        return d;
    }
}
