package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NoDelaySocketsTest {
    @Test
    void socketsHaveNoDelayBeforeTheyConnect() throws IOException {
        try (Socket unconnected = NoDelaySockets.INSTANCE.createSocket()) {
            assertTrue(unconnected.getTcpNoDelay());
            assertTrue(!unconnected.isConnected());
        }
    }

    @Test
    void everyConnectingVariantConnectsWithNoDelay() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 8, loopback)) {
            int port = server.getLocalPort();
            try (Socket a = NoDelaySockets.INSTANCE.createSocket(loopback.getHostAddress(), port);
                    Socket b = NoDelaySockets.INSTANCE.createSocket(loopback, port);
                    Socket c = NoDelaySockets.INSTANCE.createSocket(loopback, port, loopback, 0)) {
                for (Socket s : new Socket[] {a, b, c}) {
                    assertTrue(s.isConnected() && s.getTcpNoDelay());
                }
            }
        }
    }

    @Test
    void aRefusedConnectionIsReported() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        assertThrows(IOException.class,
                () -> NoDelaySockets.INSTANCE.createSocket(InetAddress.getLoopbackAddress(), closedPort));
    }

    @Test
    void everySshConnectionUsesThem() {
        SshSettings hop = SshTargets.settings("web-1", "127.0.0.1", Optional.of(2222), Optional.of("ops"), Optional.empty(),
                SshConfig.empty(), SshOptions.defaults());
        var client = SshConnector.unconnected(hop, new KnownHostsVerifier(HostKeys.userFilesOnly(List.of(), false), Path.of("/nonexistent")));
        assertSame(NoDelaySockets.INSTANCE, client.getSocketFactory(), "the key exchange runs inside connect(): Nagle must be off before it");
    }
}
