package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.testsupport.TestDirs;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentClientTest {
    @Test
    void anAgentThatNeverAnswersFailsTheCallWithinTheTimeout() throws Exception {
        Path dir = Files.createTempDirectory("agent");
        Path sock = dir.resolve("sock");
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(sock));
            AgentClient agent = new AgentClient(sock, Duration.ofMillis(300));
            long start = System.nanoTime();
            IOException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(IOException.class, agent::identities));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals("the ssh-agent at '" + sock + "' did not answer within 300ms", e.getMessage());
            assertTrue(seconds < 5, seconds + " s");
            try (SocketChannel held = silent.accept()) {
                assertTrue(held.isConnected(), "the connection was made; the agent (this test) never said a word");
            }
        } finally {
            TestDirs.delete(dir);
        }
    }
}
