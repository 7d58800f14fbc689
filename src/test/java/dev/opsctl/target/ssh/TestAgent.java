package dev.opsctl.target.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsctl.testsupport.TestDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real ssh-agent for one test, on a socket of its own. Keys are added with ssh-add and its
 * options ({@code -c}: confirm each use). A confirmation is answered by a script standing in for
 * ssh-askpass, which counts the times it was asked and allows or refuses.
 */
final class TestAgent implements AutoCloseable {
    private final Path dir;
    private final Process process;

    private TestAgent(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** An agent whose confirmations are allowed. */
    static TestAgent start() throws Exception {
        return start(true);
    }

    /** An agent whose confirmations (keys added with {@code -c}) are allowed or refused. */
    static TestAgent start(boolean allow) throws Exception {
        Path dir = Files.createTempDirectory("agent");
        Path askpass = dir.resolve("askpass");
        Files.writeString(askpass, "#!/bin/sh\necho asked >> " + dir.resolve("asked") + "\nexit " + (allow ? 0 : 1) + "\n", UTF_8);
        askpass.toFile().setExecutable(true);
        Path sock = dir.resolve("sock");
        ProcessBuilder pb = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("SSH_ASKPASS", askpass.toString());
        pb.environment().put("SSH_ASKPASS_REQUIRE", "force");
        pb.environment().put("DISPLAY", ":0");
        Process agent = pb.start();
        for (int i = 0; i < 100 && !Files.exists(sock); i++) {
            Thread.sleep(20);
        }
        return new TestAgent(dir, agent);
    }

    Path socket() {
        return dir.resolve("sock");
    }

    /** {@code ssh-add [options] key}, which also adds the {@code key-cert.pub} beside it. */
    TestAgent add(Path key, String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ssh-add"));
        cmd.addAll(List.of(options));
        cmd.add(key.toString());
        ProcessBuilder add = new ProcessBuilder(cmd).redirectErrorStream(true);
        add.environment().put("SSH_AUTH_SOCK", socket().toString());
        Process p = add.start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertEquals(0, p.waitFor(), "ssh-add " + key + ": " + out);
        return this;
    }

    /** How many times a confirmation was asked for. */
    long confirmations() throws IOException {
        Path asked = dir.resolve("asked");
        return Files.exists(asked) ? Files.readAllLines(asked).size() : 0;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
        TestDirs.delete(dir);
    }
}
