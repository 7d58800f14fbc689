package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The socket bridge's {@code docker system dial-stdio} fallback against real sshd that forwards no
 * unix socket and counts sessions (MaxSessions). The host's docker CLI is stood in for by
 * {@code cat}: dial-stdio relays a connection's bytes to the daemon, the stand-in echoes them.
 */
@Timeout(60)
class DialStdioFallbackIT {
    /** Every command runs as given but dial-stdio, which echoes. */
    private static final String DOCKER_STAND_IN = "ForceCommand if [ \"$SSH_ORIGINAL_COMMAND\" = \"docker system dial-stdio\" ];"
            + " then exec cat; else eval \"$SSH_ORIGINAL_COMMAND\"; fi";

    @RegisterExtension
    static final OpenSshServer ONE_SESSION = new OpenSshServer("127.0.1.24")
            .withConfig("MaxSessions 1").withConfig("DisableForwarding yes").withConfig(DOCKER_STAND_IN);
    /** OpenSSH's default MaxSessions, 10, as many as a target's channel permits. */
    @RegisterExtension
    static final OpenSshServer DEFAULT_SESSIONS = new OpenSshServer("127.0.1.25")
            .withConfig("DisableForwarding yes").withConfig(DOCKER_STAND_IN);

    private static final String SOCKET = "/var/run/docker.sock";
    private static final String NO_SESSION = "no more sessions";

    @Test
    void aConnectionRefusedASessionWhileTheHostStillHoldsTheLastOneGetsItOnceThatOneCloses() throws Exception {
        try (SshTarget t = ONE_SESSION.target()) {
            Path socket = t.forward(SOCKET);
            Client first = Client.connect(socket);
            assertEquals("first\n", first.echo("first\n"), "its dial-stdio session is the host's only one");
            long refused = refusals(ONE_SESSION);
            try (Client second = Client.connect(socket)) {
                second.send("second\n");
                awaitRefusals(ONE_SESSION, refused + 1);
                first.close();
                assertEquals("second\n", second.line(), "the refused open is retried, as a command's is");
            }
        }
    }

    @Test
    void whenNoSessionCanBeHadTheReasonStillSaysWhySshdCouldNotReachTheSocket() throws Exception {
        try (SshTarget t = ONE_SESSION.target(); Client first = Client.connect(t.forward(SOCKET))) {
            assertEquals("first\n", first.echo("first\n"), "its dial-stdio session is the host's only one, held");
            long since = System.nanoTime();
            try (Client second = Client.connect(t.forward(SOCKET))) {
                second.send("second\n");
                assertEquals("", second.line(), "ended unanswered once the open's patience ran out");
            }
            String why = t.unanswered(SOCKET, since).orElseThrow();
            assertTrue(why.startsWith("sshd could not connect to '" + SOCKET + "'"), why);
            assertTrue(why.contains(", and 'docker system dial-stdio' could not start: "), why);
        }
    }

    @Test
    void aDialStdioSessionHoldsAChannelPermitSoACommandWaitsForOneInsteadOfBeingRefused() throws Exception {
        try (SshTarget t = DEFAULT_SESSIONS.target()) {
            Path socket = t.forward(SOCKET);
            long refused = refusals(DEFAULT_SESSIONS);
            List<Client> clients = new ArrayList<>();
            try {
                for (int i = 1; i <= 10; i++) {
                    Client c = Client.connect(socket);
                    clients.add(c);
                    assertEquals(i + "\n", c.echo(i + "\n"));
                }
                assertEquals(refused, refusals(DEFAULT_SESSIONS), "ten sessions open, as many as sshd allows");
                CompletableFuture<ExecResult> command = CompletableFuture.supplyAsync(() -> exec(t, "echo ran"));
                Thread.sleep(1000);
                assertEquals(refused, refusals(DEFAULT_SESSIONS), "the command waits for a permit: sshd is not asked for an eleventh session");
                assertFalse(command.isDone(), "it waits for one of the forwarded connections");
                clients.remove(0).close();
                assertEquals("ran\n", command.get(10, TimeUnit.SECONDS).stdout());
            } finally {
                clients.forEach(Client::close);
            }
        }
    }

    private static ExecResult exec(SshTarget t, String command) {
        try {
            return t.exec(ExecRequest.of(command));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** How often sshd refused a session for MaxSessions so far. */
    private static long refusals(OpenSshServer sshd) {
        return sshd.log().lines().filter(l -> l.contains(NO_SESSION)).count();
    }

    private static void awaitRefusals(OpenSshServer sshd, long count) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (refusals(sshd) < count) {
            assertTrue(System.nanoTime() - until < 0, "sshd never refused a session: " + sshd.log());
            Thread.sleep(10);
        }
    }

    /** A client of the bridge's local socket, as docker-java is: one thread, writes then reads. */
    private record Client(SocketChannel channel) implements AutoCloseable {
        static Client connect(Path socket) throws IOException {
            SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
            c.connect(UnixDomainSocketAddress.of(socket));
            return new Client(c);
        }

        void send(String text) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        String echo(String line) throws IOException {
            send(line);
            return line();
        }

        /** Up to and with the next newline, or what came before the end. */
        String line() throws IOException {
            ByteBuffer one = ByteBuffer.allocate(1);
            StringBuilder s = new StringBuilder();
            while (channel.read(one.clear()) > 0) {
                s.append((char) one.get(0));
                if (one.get(0) == '\n') {
                    break;
                }
            }
            return s.toString();
        }

        @Override
        public void close() {
            SocketBridge.quietly(channel);
        }
    }
}
