package dev.opsctl.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ssh.OpenSshServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code opsctl exec --keep-connections} against the real OpenSSH sshd, with a real keeper process. */
class ExecKeeperIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.16");

    private Path work;
    private Path runtime;

    private record Run(int code, String out, String err, byte[] outBytes) {}

    @BeforeEach
    void setUp() throws IOException {
        work = Files.createTempDirectory("keeper-it");
        runtime = Files.createDirectory(work.resolve("run"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(work.resolve("hosts.ini"), String.join("\n",
                "[web]",
                "web1 ansible_host=" + SSHD.address() + " ansible_port=" + SSHD.port() + " ansible_user=" + OpenSshServer.USER,
                "web2 ansible_host=" + SSHD.address() + " ansible_port=" + SSHD.port() + " ansible_user=" + OpenSshServer.USER,
                "[db]",
                "db1 ansible_host=" + SSHD.address() + " ansible_port=1 ansible_user=" + OpenSshServer.USER,
                "[ops]",
                "here ansible_connection=local",
                ""));
        Files.writeString(work.resolve("ssh_config"), "");
        Files.copy(SSHD.knownHosts(), work.resolve("known_hosts"));
    }

    @AfterEach
    void stopKeepers() throws IOException {
        for (long pid : keeperPids()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** The client runs in this JVM, in {@code work} with relative paths, as the launcher would run it there. */
    private Run exec(Map<String, String> extraEnv, String... args) {
        List<String> all = new ArrayList<>(List.of("exec", "-i", "hosts.ini", "--known-hosts", "known_hosts",
                "--identity", SSHD.clientKey().toString(), "--no-agent", "--ssh-config", "ssh_config"));
        all.addAll(List.of(args));
        return launch(extraEnv, all);
    }

    private Run launch(Map<String, String> extraEnv, List<String> all) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new java.util.HashMap<>(Map.of("XDG_RUNTIME_DIR", runtime.toString(), "PATH", System.getenv("PATH")));
        env.putAll(extraEnv);
        CliEnv cli = new CliEnv(new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8), env, work, false);
        int code = Launch.execute(cli, all.toArray(String[]::new));
        return new Run(code, out.toString(UTF_8), err.toString(UTF_8), out.toByteArray());
    }

    private List<Long> keeperPids() throws IOException {
        Path dir = runtime.resolve("opsctl");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path lock : files.filter(p -> p.toString().endsWith(".lock")).toList()) {
                String text = Files.readString(lock).trim();
                if (!text.isEmpty()) {
                    pids.add(Long.parseLong(text));
                }
            }
        }
        return pids;
    }

    @Test
    void theSecondExecReusesTheFirstOnesConnectionsAndPrintsAndExitsAsAnExecHere() throws Exception {
        long logins = SSHD.acceptedLogins();
        Run first = exec(Map.of(), "--keep-connections", "60s", "-l", "web", "--", "echo", "hi from $(whoami)");
        assertEquals(0, first.code(), first.out() + first.err());
        assertTrue(first.out().contains("web1 | OK | rc=0"), first.out());
        assertTrue(first.out().contains("hi from " + OpenSshServer.USER), first.out());
        assertTrue(first.out().contains("2 hosts: 2 ok, 0 failed, 0 unreachable"), first.out());
        assertEquals(logins + 2, SSHD.acceptedLogins(), "the keeper logged in once per host");
        assertEquals(1, keeperPids().size());

        Run second = exec(Map.of(ExecKeeper.ENV, "60s"), "-l", "web", "--", "echo", "again");
        assertEquals(0, second.code(), second.out() + second.err());
        assertTrue(second.out().contains("web2 | OK | rc=0") && second.out().contains("again"), second.out());
        assertEquals(logins + 2, SSHD.acceptedLogins(), "no new login:\n" + SSHD.log());

        Run failing = exec(Map.of(ExecKeeper.ENV, "60s"), "-l", "web:db", "--", "exit 3");
        assertEquals(1, failing.code(), failing.out() + failing.err());
        assertTrue(failing.out().contains("web1 | FAILED | rc=3"), failing.out());
        assertTrue(failing.out().contains("db1 | UNREACHABLE"), failing.out());
        assertEquals(logins + 2, SSHD.acceptedLogins(), "still no new login");

        Run usage = exec(Map.of(ExecKeeper.ENV, "60s"), "-l", "nosuchgroup", "--", "true");
        assertEquals(2, usage.code(), usage.out() + usage.err());
        assertTrue(usage.err().contains("nosuchgroup"), usage.err());
    }

    @Test
    void bytesThatAreNotUtf8ReachStdoutAsTheHostWroteThemWhereverTheCommandRan() throws Exception {
        // latin-1 'é', a lone continuation byte, an emoji cut after two of its four bytes, then a whole one
        String printf = "printf '\\351t\\351 \\200 \\360\\237 \\360\\237\\232\\200\\n'";
        byte[] wrote = {(byte) 0xe9, 't', (byte) 0xe9, ' ', (byte) 0x80, ' ', (byte) 0xf0, (byte) 0x9f, ' ',
                (byte) 0xf0, (byte) 0x9f, (byte) 0x9a, (byte) 0x80, '\n'};
        for (Map.Entry<String, Map<String, String>> where : Map.of(
                "over ssh, here", Map.<String, String>of(),
                "over ssh, through the keeper", Map.of(ExecKeeper.ENV, "60s"),
                "on the local host", Map.<String, String>of()).entrySet()) {
            String host = where.getKey().startsWith("on the local") ? "here" : "web1";
            Run r = exec(where.getValue(), "-l", host, "--", printf);
            assertEquals(0, r.code(), where.getKey() + ": " + r.out() + r.err());
            assertTrue(indexOf(r.outBytes(), wrote) >= 0, where.getKey() + ": " + java.util.HexFormat.of().formatHex(r.outBytes()));

            Run streamed = exec(where.getValue(), "-l", host, "--stream", "--", printf);
            byte[] line = concat((host + " | ").getBytes(UTF_8), wrote);
            assertTrue(indexOf(streamed.outBytes(), line) >= 0, where.getKey() + ", --stream: "
                    + java.util.HexFormat.of().formatHex(streamed.outBytes()));

            Run json = exec(where.getValue(), "-l", host, "-o", "json", "--", printf + "; exit 3");
            assertTrue(json.out().contains("\"stdout\":\"\uFFFDt\uFFFD \uFFFD \uFFFD\uFFFD \uD83D\uDE80\\n\""), where.getKey() + ", json: " + json.out());
            assertTrue(json.out().contains("\"message\":\"exit 3: \uFFFDt\uFFFD"), where.getKey() + ", json: " + json.out());

            Run failed = exec(where.getValue(), "-l", host, "--", printf + " >&2; exit 3");
            assertTrue(failed.out().contains("  exit 3: \\xe9t\\xe9 \\x80 \\xf0\\x9f \uD83D\uDE80"),
                    where.getKey() + ", opsctl's own line shows the bytes: " + failed.out());
        }
    }

    private static int indexOf(byte[] in, byte[] part) {
        for (int i = 0; i + part.length <= in.length; i++) {
            if (java.util.Arrays.equals(in, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void killingTheClientStopsTheCommandOnTheHostsAndTheKeeperServesTheNextOne() throws Exception {
        String marker = "keeper-kill-" + System.nanoTime();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.opsctl.Main", "exec", "-i", "hosts.ini", "-l", "web1",
                "--known-hosts", "known_hosts", "--identity", SSHD.clientKey().toString(), "--no-agent", "--ssh-config", "ssh_config",
                "--keep-connections", "60s", "--", "sleep 30 && echo " + marker));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("client.out").toFile());
        pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        Process client = pb.start();
        assertTrue(waitFor(() -> remote(marker), 20_000), "the command runs on the host");
        client.destroyForcibly().waitFor();
        assertTrue(waitFor(() -> !remote(marker), 10_000), "the command on the host was stopped with its client");
        long logins = SSHD.acceptedLogins();
        Run next = exec(Map.of(), "--keep-connections", "60s", "-l", "web1", "--", "echo", "next");
        assertEquals(0, next.code(), next.out() + next.err());
        assertTrue(next.out().contains("next"), next.out());
        assertEquals(1, keeperPids().size(), "the same keeper");
        assertTrue(SSHD.acceptedLogins() <= logins + 1, "at most one new login (a connection whose command was cut short is not kept)");
    }

    private static boolean remote(String marker) {
        try {
            Process p = new ProcessBuilder("pgrep", "-u", OpenSshServer.USER, "-f", marker).start();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    @Test
    void anExecOnALocalHostRunsHereInTheCallersDirectoryNotInTheKeeper() throws Exception {
        Run r = exec(Map.of(), "--keep-connections", "60s", "-l", "here", "--", "pwd");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains(System.getProperty("user.dir")), r.out());
        assertEquals(List.of(), keeperPids(), "no keeper started");
    }

    @Test
    void relativeKeyPathsOfTheInventoryAndRootOptionsMeanTheSameInTheKeeper() throws Exception {
        Files.createDirectory(work.resolve("keys"));
        Files.copy(SSHD.clientKey(), work.resolve("keys/id"));
        Files.writeString(work.resolve("keyed.ini"), "k1 ansible_host=" + SSHD.address() + " ansible_port=" + SSHD.port()
                + " ansible_user=" + OpenSshServer.USER + " ansible_ssh_private_key_file=keys/id\n");
        Run r = launch(Map.of(ExecKeeper.ENV, "60s"), List.of("--debug", "exec", "-i", "keyed.ini", "--known-hosts", "known_hosts",
                "--no-agent", "--ssh-config", "ssh_config", "--", "echo", "keyed"));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("k1 | OK | rc=0") && r.out().contains("keyed"), r.out());
        assertEquals(1, keeperPids().size(), "run by the keeper");
    }

    @Test
    void withoutKeepingEveryExecLogsInAndNoKeeperStarts() throws Exception {
        long logins = SSHD.acceptedLogins();
        assertEquals(0, exec(Map.of(), "-l", "web1", "--", "true").code());
        assertEquals(0, exec(Map.of(ExecKeeper.ENV, "0"), "-l", "web1", "--", "true").code());
        assertEquals(logins + 2, SSHD.acceptedLogins());
        assertEquals(List.of(), keeperPids());
    }

    @Test
    void theKeeperLeavesOnceIdleForItsKeepTimeAndClosesItsConnections() throws Exception {
        Run r = exec(Map.of(), "--keep-connections", "1s", "-l", "web1", "--", "true");
        assertEquals(0, r.code(), r.err());
        long pid = keeperPids().get(0);
        ProcessHandle keeper = ProcessHandle.of(pid).orElseThrow();
        keeper.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertFalse(keeper.isAlive());
        try (Stream<Path> left = Files.list(runtime.resolve("opsctl"))) {
            assertFalse(left.anyMatch(p -> p.toString().endsWith(".sock")), "its socket is removed");
        }
        long logins = SSHD.acceptedLogins();
        assertEquals(0, exec(Map.of(), "--keep-connections", "1s", "-l", "web1", "--", "true").code());
        assertEquals(logins + 1, SSHD.acceptedLogins(), "a new keeper logs in again");
    }

    @Test
    void aKeeperDirectoryOthersCanEnterIsRefusedAndTheExecRunsHere() throws Exception {
        Path dir = Files.createDirectory(runtime.resolve("opsctl"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        long logins = SSHD.acceptedLogins();
        Run r = exec(Map.of(), "--keep-connections", "60s", "-l", "web1", "--", "true");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: not keeping connections: " + dir + " is open to other users (mode 755): chmod 700 it"), r.err());
        assertEquals(logins + 1, SSHD.acceptedLogins());
        assertEquals(Optional.empty(), keeperPids().stream().findFirst());
    }

    @Test
    void aKeepTimeOverADayIsRefused() {
        Run r = exec(Map.of(ExecKeeper.ENV, "25h"), "--", "true");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--keep-connections 25h is longer than 24h"), r.err());
        Run bad = exec(Map.of(ExecKeeper.ENV, "soon"), "--", "true");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains(ExecKeeper.ENV + "='soon' is not a duration"), bad.err());
    }
}
