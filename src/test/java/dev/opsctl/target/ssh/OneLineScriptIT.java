package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.SingleQuoted;
import dev.opsctl.target.Sudo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Scripts of several lines, or with a '!', sent as one line that sh decodes ({@link RemoteCommand#oneLine}), on a real sshd. */
class OneLineScriptIT {
    private static final String TCSH = "opsctl-test-tcsh";
    private static final String BASH = "opsctl-r2-bash";

    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.201");

    @BeforeAll
    static void logins() throws Exception {
        OpenSshServer.ensureLoginUser(TCSH, "/usr/bin/tcsh");
        OpenSshServer.ensureLoginUser(BASH, "/bin/bash");
    }

    /** Backslashes, printf's own escapes and '%', CR, tab, '!', quotes, non-ASCII, trailing newlines. */
    private static final String TRICKY = "a\\nb \\c c %d %s %% \\0101 \\101 \\x41 \\\\ 'q' \"d!\" !! \r\n\ttab é \\0012\n\n";

    @Test
    void aTrickyScriptArrivesByteForByteUnderEveryLoginShellAndSudo() throws Exception {
        String script = "printf '%s' " + SingleQuoted.of(TRICKY) + "\nprintf END";
        for (String user : List.of(OpenSshServer.USER, BASH, TCSH)) {
            for (Sudo sudo : user.equals(OpenSshServer.USER)
                    ? List.of(Sudo.NONE, Sudo.ROOT, Sudo.as(OpenSshServer.PASSWORD_USER, Optional.empty()))
                    : List.of(Sudo.NONE)) {
                try (SshTarget t = new SshTarget(SSHD.settings(user), SSHD.dir())) {
                    ExecResult r = t.exec(ExecRequest.of(script).withSudo(sudo));
                    assertEquals(TRICKY + "END", r.stdout(), user + " " + sudo + ": " + r.stderr());
                    assertEquals(0, r.exitCode(), r.stderr());
                }
            }
        }
    }

    @Test
    void aTimedOutScriptOfSeveralLinesHasItsGroupStopped() throws Exception {
        for (String user : List.of(OpenSshServer.USER, TCSH)) {
            for (Sudo sudo : user.equals(OpenSshServer.USER) ? List.of(Sudo.NONE, Sudo.ROOT) : List.of(Sudo.NONE)) {
                Path pid = Path.of("/tmp", "opsctl-r2-" + System.nanoTime() + ".pid");
                try (SshTarget t = new SshTarget(SSHD.settings(user), SSHD.dir())) {
                    ExecResult r = t.exec(ExecRequest.of("sleep 300 &\necho $! > " + pid + "\necho started\nwait")
                            .withSudo(sudo).withTimeout(Duration.ofSeconds(2)));
                    assertTrue(r.timedOut(), r.toString());
                    long child = Long.parseLong(Files.readString(pid).strip());
                    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (OpenSshServer.alive(child) && System.nanoTime() < until) {
                        Thread.sleep(50);
                    }
                    assertFalse(OpenSshServer.alive(child), user + " " + sudo + ": the child outlived the timeout");
                } finally {
                    Files.deleteIfExists(pid);
                }
            }
        }
    }

    /**
     * A script that fits in one argument (128 KiB, MAX_ARG_STRLEN) as it is still does once made one
     * line. With each newline sent as "\\0012" this one (120 KB, 2,791 lines) failed with sshd's
     * "/bin/sh: Argument list too long", exit 1; it ran as it was before commands were made one line.
     */
    @Test
    void aLongScriptOfManyLinesThatFitsAsItIsRuns() throws Exception {
        StringBuilder s = new StringBuilder();
        while (s.length() < 120_000) {
            s.append(": 0123456789012345678901234567890123456789\n");
        }
        s.append("echo done");
        try (SshTarget t = SSHD.target()) {
            ExecResult r = t.exec(ExecRequest.of(s.toString()));
            assertEquals("done\n", r.stdout(), r.stderr());
        }
    }
}
