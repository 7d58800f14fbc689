package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.source.Secret;
import dev.opsctl.target.EnvOnStdinTest;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetContract;
import dev.opsctl.template.ShellQuote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shared target contract over SSH for a login user whose login shell is not the one opsctl
 * runs commands in ({@link OpenSshServer#withLoginUser}): sshd hands the command line to that
 * shell, and a command must still mean what it means locally, in /bin/sh, with sudo or without.
 * Besides the contract: values quoted as a template quotes them, scripts, input and timeouts with
 * sudo to root and with a password (to {@link OpenSshServer#USER}).
 */
abstract class LoginShellTargetContract extends TargetContract {
    private static final Sudo WITH_PASSWORD = Sudo.as(OpenSshServer.USER, Optional.of(new Secret(OpenSshServer.SUDO_PASSWORD)));
    private static final List<Sudo> EVERY_SUDO = List.of(Sudo.NONE, Sudo.ROOT, WITH_PASSWORD);

    /** Every byte a value may hold that some shell reads in its own way, in quotes or not. NUL is no value's. */
    static final List<String> AWKWARD_VALUES = List.of("it's", "\"q\"", "'\\''", "a\\b", "a\\\\b", "ends\\", "\\'", "\\",
            "!", "!!", "a!$", "!-1", "^x^y", "$HOME $(id) `id` ${x} $status", "%s %d %% %b %", "\\0101 \\n \\x41 \\c \\u00e9",
            "two\nlines", "\n\n", "\r\t", "é 日本語 ✓", "-n", "", " ", "*", "~", "{a,b}", "#c", ";&|<>()", "(echo x)", "=ls");

    private final OpenSshServer sshd;
    private final String user;

    protected LoginShellTargetContract(OpenSshServer sshd, String user) {
        this.sshd = sshd;
        this.user = user;
    }

    @Override
    protected Target newTarget() {
        return new SshTarget(sshd.settings(user), sshd.dir());
    }

    @Override
    protected String supplementaryGroup() {
        return OpenSshServer.GROUP;
    }

    @Override
    protected String newTempDir() throws Exception {
        String d = "/tmp/opsctl-" + user + "-" + System.nanoTime();
        target.exec(ExecRequest.of("mkdir -m 700 " + d));
        return d;
    }

    /** Values in a command as a template writes them (each shell-quoted), on one line and on many. */
    @Test
    void quotedValuesArriveAsTheyAreWithEverySudo() throws Exception {
        String expected = AWKWARD_VALUES.stream().map(v -> "[" + v + "]\n").collect(Collectors.joining());
        for (String separator : List.of("; ", "\n")) {
            String command = AWKWARD_VALUES.stream().map(v -> "printf '[%s]\\n' " + ShellQuote.quote(v)).collect(Collectors.joining(separator));
            for (Sudo sudo : EVERY_SUDO) {
                ExecResult r = target.exec(ExecRequest.of(command).withSudo(sudo).withTimeout(Duration.ofSeconds(60)));
                assertEquals(expected, r.stdout(), sudo + ", separated by " + separator.strip() + ": " + r.stderr());
                assertEquals("", r.stderr(), sudo.toString());
            }
        }
    }

    /** A script of many lines runs whole in /bin/sh: before, csh ran its second and later lines itself. */
    @Test
    void aCommandOfManyLinesRunsWholeInShWithEverySudo() throws Exception {
        for (Sudo sudo : EVERY_SUDO) {
            ExecResult r = target.exec(ExecRequest.of("echo \"one $OPSCTL_X\"\necho 'two'\nprintf '%s\\n' \"three!\" \\\n  'a\\b'; echo \"$0\"")
                    .withEnv(Map.of("OPSCTL_X", "x")).withSudo(sudo).withTimeout(Duration.ofSeconds(60)));
            assertEquals("one x\ntwo\nthree!\na\\b\n/bin/sh\n", r.stdout(), sudo + ": " + r.stderr());
            assertEquals("", r.stderr(), sudo.toString());
            assertEquals(0, r.exitCode(), sudo.toString());
        }
    }

    /** Every byte value, in a large input after the environment, arrives as it is, with every sudo. */
    @Test
    void aLargeInputOfEveryByteArrivesAfterTheEnvironmentWithEverySudo() throws Exception {
        byte[] input = new byte[3 * 1024 * 1024 + 7];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) (i * 7 + i / 256);
        }
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(input));
        Map<String, String> env = EnvOnStdinTest.AWKWARD;
        for (Sudo sudo : EVERY_SUDO) {
            ExecResult r = target.exec(ExecRequest.of(EnvOnStdinTest.print(env) + "md5sum").withEnv(env).withStdin(input).withSudo(sudo)
                    .withTimeout(Duration.ofSeconds(60)));
            assertEquals(EnvOnStdinTest.printed(env) + md5 + "  -\n", r.stdout(), sudo + ": " + r.stderr());
        }
    }

    /** A timeout stops the command and what it started, on one line or many, with every sudo. */
    @Test
    void aTimeoutStopsTheCommandsGroupWithEverySudo() throws Exception {
        for (String separator : List.of("; ", "\n")) {
            for (Sudo sudo : EVERY_SUDO) {
                Path pid = Path.of("/tmp", "opsctl-" + user + "-" + System.nanoTime() + ".pid");
                try {
                    ExecResult r = target.exec(ExecRequest.of(String.join(separator, "trap '' TERM", "sleep 300 & echo $! > " + pid, "wait"))
                            .withSudo(sudo).withTimeout(Duration.ofSeconds(1)));
                    String what = sudo + ", separated by " + separator.strip();
                    assertTrue(r.timedOut(), what + ": " + r);
                    assertFalse(r.leftRunning(), what + ": " + r.stderr());
                    assertEquals("", r.stderr(), what + ": opsctl's own marks stay out of the output");
                    long child = Long.parseLong(Files.readString(pid).strip());
                    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (OpenSshServer.alive(child) && System.nanoTime() < until) {
                        Thread.sleep(50);
                    }
                    assertFalse(OpenSshServer.alive(child), what + ": the command's child outlived its timeout");
                } finally {
                    Files.deleteIfExists(pid);
                }
            }
        }
    }

    /**
     * A command starts in the login user's home directory, with every sudo (sudo keeps the directory),
     * not in opsctl's own as on the local target: Ansible's ssh and local connections differ the same way.
     */
    @Test
    void aCommandStartsInTheLoginUsersHomeWithEverySudo() throws Exception {
        String home = sh("getent passwd " + user + " | cut -d: -f6").stdout();
        assertEquals("/var/tmp/opsctl-it/" + user + "\n", home);
        for (Sudo sudo : EVERY_SUDO) {
            ExecResult r = target.exec(ExecRequest.of("pwd -P").withSudo(sudo).withTimeout(Duration.ofSeconds(60)));
            assertEquals(home, r.stdout(), sudo + ": " + r.stderr());
        }
    }

    /** A file written and read with a sudo password: every byte value, its mode, its owner. */
    @Test
    void sudoWithAPasswordWritesAndReadsFiles() throws Exception {
        assertEquals(0, sh("chmod 711 " + dir + " && mkdir -m 777 " + path("shared")).exitCode());
        byte[] content = new byte[256];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i;
        }
        String p = path("shared/it's a file!");
        target.put(p, content, new FileAttrs(Optional.of(0640), Optional.empty(), Optional.empty(), WITH_PASSWORD));
        assertArrayEquals(content, target.get(p, WITH_PASSWORD));
        assertEquals(0640, target.stat(p, WITH_PASSWORD).orElseThrow().mode());
        assertEquals(OpenSshServer.USER + "\n", sh("stat -c %U " + ShellQuote.quote(p)).stdout());
    }
}
