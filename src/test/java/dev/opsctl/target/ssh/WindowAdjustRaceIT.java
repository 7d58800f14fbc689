package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sshj's window race, made to happen every time: each write to the socket returns 3 ms after it was
 * sent, as if the writing thread were descheduled there, so the window adjustment the stdout reader
 * sends is answered (stderr data, which the reader thread takes without waiting for stdout's lock)
 * before the reader adds it to the window. Without {@link WindowAdjustWait} the connection died
 * with "Window consumed to below 0" on the first command (checked, with the wait taken out).
 */
class WindowAdjustRaceIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.26");

    private static final int STDOUT_BYTES = 4 * 1024 * 1024; // twice sshj's 2 MiB window: it is used up exactly

    @Test
    void stderrAnsweringAWindowAdjustmentDoesNotKillTheConnection() throws Exception {
        SshSettings settings = SSHD.settings();
        SSHClient client = SshConnector.unconnected(settings, new KnownHostsVerifier(settings.hostKeys(), SSHD.dir()));
        client.setSocketFactory(new SlowWrites());
        try {
            client.connect(settings.hostName(), settings.port());
            List<AuthMethod> key = List.of(new AuthPublickey(client.loadKeys(SSHD.clientKey().toString())));
            PublickeyLogin.run(client, settings.user(), key);
            for (int i = 0; i < 2; i++) {
                try (Session session = client.startSession()) {
                    Session.Command cmd = session.exec("head -c " + STDOUT_BYTES + " /dev/zero; echo done >&2");
                    CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(cmd.getErrorStream()));
                    long read = 0;
                    byte[] buf = new byte[32 * 1024];
                    InputStream out = cmd.getInputStream();
                    for (int n = out.read(buf); n >= 0; n = out.read(buf)) {
                        read += n;
                        Thread.sleep(20); // a slow reader: the server uses each window up before the next adjustment
                    }
                    assertEquals(STDOUT_BYTES, read);
                    assertEquals("done\n", stderr.get(30, TimeUnit.SECONDS));
                    cmd.join(10, TimeUnit.SECONDS);
                    assertEquals(0, cmd.getExitStatus());
                }
            }
        } finally {
            client.close();
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sockets whose writes return 3 ms late, after the bytes were sent. */
    private static final class SlowWrites extends SocketFactory {
        @Override
        public Socket createSocket() throws IOException {
            Socket socket = new Socket() {
                @Override
                public OutputStream getOutputStream() throws IOException {
                    OutputStream raw = super.getOutputStream();
                    return new OutputStream() {
                        @Override
                        public void write(int b) throws IOException {
                            write(new byte[] {(byte) b}, 0, 1);
                        }

                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            raw.write(b, off, len);
                            raw.flush();
                            try {
                                Thread.sleep(3);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }

                        @Override
                        public void flush() throws IOException {
                            raw.flush();
                        }
                    };
                }
            };
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(String host, int port, java.net.InetAddress localHost, int localPort) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(java.net.InetAddress host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress localAddress, int localPort) {
            throw new UnsupportedOperationException();
        }
    }
}
