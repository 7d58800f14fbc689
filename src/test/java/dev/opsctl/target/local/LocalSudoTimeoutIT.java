package dev.opsctl.target.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A step under sudo that times out, run by an operator who is not root: opsctl runs as a throwaway
 * user ({@code runuser}), its command as root or as another user, so opsctl's own {@code kill} of the
 * command's process group cannot reach it (EPERM) and sudo relays no KILL. The whole group must be
 * gone once the step failed, or the failure must say that it may still be running.
 */
class LocalSudoTimeoutIT {
    private static final String USER = "opsctl-sudo-it";
    private static final String PW_USER = "opsctl-sudo-it-pw";
    private static final String PASSWORD = "it-" + Long.toHexString(new SecureRandom().nextLong());
    private static final Path SUDOERS = Path.of("/etc/sudoers.d/opsctl-sudo-it");
    private static final String MAY_STILL_RUN = "may still be running";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static Path dir;
    private static boolean root;
    private static final List<String> markers = new ArrayList<>();

    private record Run(int code, String out, String err) {
        String dump() {
            return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err + "---";
        }
    }

    @BeforeAll
    static void operators() throws Exception {
        root = "0".equals(exec("id", "-u").strip());
        assumeOrFailUnderCi(root, "needs root to create the operator users");
        assumeOrFailUnderCi(onPath("sudo") && onPath("runuser") && onPath("useradd") && onPath("pgrep"),
                "needs sudo, runuser, useradd and pgrep");
        cleanUp(); // what a killed run left
        // a directory the operators can read: a @TempDir is 0700, and /root is closed to them
        dir = Files.createTempDirectory(Path.of("/var/tmp"), "opsctl-localsudo-it-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.copy(Path.of(System.getProperty("opsctl.jar", "target/opsctl.jar")), dir.resolve("opsctl.jar"));
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        for (String user : List.of(USER, PW_USER)) {
            run(null, "useradd", "-r", "-m", "-d", dir.resolve("home-" + user).toString(), "-s", "/bin/sh", user);
        }
        run(PW_USER + ":" + PASSWORD + "\n", "chpasswd");
        Path rules = dir.resolve("sudoers");
        Files.writeString(rules, USER + " ALL=(ALL) NOPASSWD: ALL\n"
                + "Defaults:" + PW_USER + " lecture=never\n"
                + PW_USER + " ALL=(ALL) ALL\n", UTF_8);
        run(null, "visudo", "-cqf", rules.toString());
        Files.copy(rules, SUDOERS);
        Files.setPosixFilePermissions(SUDOERS, PosixFilePermissions.fromString("r--r-----"));
        // a stand-in sudo that refuses opsctl's kill of a group and runs everything else for real
        Path refusing = Files.createDirectories(dir.resolve("refusing-sudo"));
        Path stand = Files.writeString(refusing.resolve("sudo"), """
                #!/bin/sh
                case "$*" in *"kill -"*) echo 'sudo: refused by the test' >&2; exit 1 ;; esac
                exec /usr/bin/sudo "$@"
                """, UTF_8);
        Files.setPosixFilePermissions(stand, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void killTheMarkedProcesses() throws Exception {
        // whatever a failed assertion (or the refusing sudo) left running: found by the test's own markers
        for (String marker : markers) {
            for (String pid : pids(marker)) {
                run(null, "kill", "-KILL", pid);
            }
        }
    }

    @AfterAll
    static void removeOperators() throws Exception {
        if (root) {
            cleanUp();
        }
    }

    @Test
    void aTimedOutStepUnderPasswordlessSudoLeavesNoProcessOfItsGroup() throws Exception {
        String marker = marker();
        Run r = opsctl(USER, runbook(marker, true), List.of(), Map.of());
        assertTimedOutAndGone(r, marker);
    }

    @Test
    void aTimedOutStepUnderSudoWithAPasswordLeavesNoProcessOfItsGroup() throws Exception {
        String marker = marker();
        Run r = opsctl(PW_USER, runbook(marker, true), List.of("--sudo-password-env", "OPSCTL_IT_SUDO_PASSWORD"),
                Map.of("OPSCTL_IT_SUDO_PASSWORD", PASSWORD));
        assertTimedOutAndGone(r, marker);
        assertFalse(r.out().contains(PASSWORD) || r.err().contains(PASSWORD), "the password was printed\n" + r.dump());
    }

    @Test
    void aTimedOutStepRunAsAnotherUserLeavesNoProcessOfItsGroup() throws Exception {
        // become_user: the command runs as nobody, whom the operator can no more signal than root
        String marker = marker();
        Path inventory = Files.writeString(Files.createTempFile(dir, "inventory", ".ini"),
                "localhost ansible_connection=local ansible_become=true ansible_become_user=nobody\n", UTF_8);
        Files.setPosixFilePermissions(inventory, PosixFilePermissions.fromString("rw-r--r--"));
        Run r = opsctl(USER, runbook(marker, false), List.of("-i", inventory.toString()), Map.of());
        assertTimedOutAndGone(r, marker);
    }

    @Test
    void aGroupSudoWillNotSignalIsReportedAsMaybeStillRunning() throws Exception {
        String marker = marker();
        Run r = opsctl(USER, runbook(marker, true), List.of(),
                Map.of("PATH", dir.resolve("refusing-sudo") + ":/usr/sbin:/usr/bin:/sbin:/bin"));
        assertTrue(r.err().contains("timed out") || r.out().contains("timed out"), r.dump());
        assertTrue(r.err().contains(MAY_STILL_RUN) || r.out().contains(MAY_STILL_RUN),
                "a group opsctl could not signal was reported as stopped\n" + r.dump());
        assertFalse(pids(marker).isEmpty(), "the stand-in sudo let the kill through: this case tests nothing\n" + r.dump());
    }

    private static void assertTimedOutAndGone(Run r, String marker) throws Exception {
        assertEquals(1, r.code(), r.dump());
        assertTrue(r.err().contains("timed out") || r.out().contains("timed out"), r.dump());
        List<String> left = pids(marker);
        for (int i = 0; i < 50 && !left.isEmpty(); i++) {
            Thread.sleep(100);
            left = pids(marker);
        }
        assertEquals(List.of(), left, "processes of the timed-out step survived: " + exec("ps", "-o", "pid,pgid,user,args", "-p",
                String.join(",", left.isEmpty() ? List.of("1") : left)) + "\n" + r.dump());
        assertFalse(r.err().contains(MAY_STILL_RUN) || r.out().contains(MAY_STILL_RUN), r.dump());
    }

    /** GNU sleep takes a fraction: the marker is its digits, in every process's arguments (sudo, sh, both sleeps). */
    private static String marker() {
        String m = String.format("%012d", Math.floorMod(RANDOM.nextLong(), 1_000_000_000_000L));
        markers.add(m);
        return m;
    }

    private static Path runbook(String marker, boolean sudo) throws IOException {
        Path file = Files.writeString(Files.createTempFile(dir, "sleeps", ".yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: sudo-timeout}
                steps:
                  - id: sleeps
                    shell: sleep 300.%1$s & sleep 301.%1$s; wait
                    sudo: %2$s
                    timeout: 2s
                """.formatted(marker, sudo), UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /** {@code opsctl run} as {@code user}, in a fresh environment: {@code env} adds to (or replaces) PATH and LANG. */
    private static Run opsctl(String user, Path runbook, List<String> options, Map<String, String> env) throws Exception {
        Path state = dir.resolve("home-" + user).resolve("state");
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", user, "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", dir.resolve("opsctl.jar").toString(),
                "run", runbook.toString(), "--yes", "--state-dir", state.toString()));
        cmd.addAll(options);
        Path out = Files.createTempFile("opsctl-localsudo-it", ".out");
        Path err = Files.createTempFile("opsctl-localsudo-it", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
            pb.environment().put("LANG", "C.UTF-8");
            pb.environment().put("HOME", dir.resolve("home-" + user).toString());
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("opsctl did not finish in 2 minutes\n" + Files.readString(err, UTF_8));
            }
            return new Run(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static List<String> pids(String marker) throws Exception {
        return exec("pgrep", "-f", marker).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Removes the users, their processes, the sudoers file and the directory; also what an earlier killed run left. */
    private static void cleanUp() throws Exception {
        for (String user : List.of(USER, PW_USER)) {
            for (String pid : exec("pgrep", "-u", user).lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
                run(null, "kill", "-KILL", pid);
            }
        }
        Files.deleteIfExists(SUDOERS);
        for (String user : List.of(USER, PW_USER)) {
            if (!exec("getent", "passwd", user).isBlank()) {
                run(null, "userdel", "-r", "-f", user);
            }
        }
        if (dir != null && Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Skips where root or the tools are missing, except under {@code CI=true}, which runs as root with them installed. */
    private static void assumeOrFailUnderCi(boolean met, String what) {
        if (!met && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(what + " and CI=true: CI runs as root with sudo and util-linux installed");
        }
        Assumptions.assumeTrue(met, what);
    }

    private static boolean onPath(String tool) {
        return Stream.of("/usr/sbin", "/usr/bin", "/sbin", "/bin").anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    /** Runs a tool as root, failing unless it exits 0. */
    private static void run(String stdin, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** A tool's stdout, whatever its exit status (pgrep exits 1 when it finds nothing). */
    private static String exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        p.waitFor();
        return out;
    }
}
