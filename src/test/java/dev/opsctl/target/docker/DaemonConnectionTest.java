package dev.opsctl.target.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.SharedResources;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.UnixSocketForwarding;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a daemon call makes of the host's connection breaking under it (as the SSH forward reports it):
 * a read is asked once more on a new connection, a change never is and says it may have taken effect,
 * and a daemon that closed the connection itself is still a daemon not answering.
 */
class DaemonConnectionTest {
    private static final String BROKE = "the ssh connection to '10.0.0.1:22' broke (broken transport; encountered EOF)";
    private static final String PONG = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK";

    /**
     * What the fake daemon does with each connection, in turn: break it mid-answer (as a lost ssh connection), close it
     * unanswered (which docker-java's client itself repeats once for a GET), answer, or hold it open unanswered for 5 s
     * (a SIGSTOPped daemon), or for as long as the test lasts (a daemon frozen for good).
     */
    private enum Then { BREAK, CLOSE, ANSWER, SILENT, FROZEN }

    @TempDir
    Path tmp;

    private final ConcurrentLinkedQueue<Then> script = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    /** When the latest connection was broken (0: never). */
    private final AtomicLong brokeAt = new AtomicLong();
    private final java.util.concurrent.CountDownLatch frozen = new java.util.concurrent.CountDownLatch(1);
    private ServerSocketChannel server;
    private Thread daemon;

    @BeforeEach
    void fakeDaemon() throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(tmp.resolve("docker.sock")));
        daemon = new Thread(() -> {
            while (true) {
                try (SocketChannel c = server.accept()) {
                    connections.incrementAndGet();
                    readRequest(c);
                    Then then = script.poll();
                    if (then == Then.ANSWER) {
                        c.write(ByteBuffer.wrap(PONG.getBytes(StandardCharsets.US_ASCII)));
                    } else if (then == Then.BREAK) {
                        // cut off mid-answer, as the bridge ends a client's connection when the ssh connection under it broke
                        c.write(ByteBuffer.wrap(PONG.substring(0, PONG.length() - 1).getBytes(StandardCharsets.US_ASCII)));
                        brokeAt.set(System.nanoTime());
                    } else if (then == Then.SILENT) {
                        Thread.sleep(5_000);
                    } else if (then == Then.FROZEN) {
                        frozen.await();
                    }
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        daemon.setDaemon(true);
        daemon.start();
    }

    @AfterEach
    void stop() throws IOException {
        frozen.countDown();
        server.close();
    }

    private static void readRequest(SocketChannel c) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (!new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).contains("\r\n\r\n") && c.read(buf) >= 0) {
            // the headers of a GET: all of the request
        }
    }

    private DaemonConnection daemonConnection() {
        return new DaemonConnection("web1", forwarding(), "/var/run/docker.sock");
    }

    private UnixSocketForwarding forwarding() {
        Path socket = tmp.resolve("docker.sock");
        SharedResources shared = new SharedResources();
        return new UnixSocketForwarding() {
            @Override
            public Path forward(String remotePath) {
                return socket;
            }

            @Override
            public Optional<String> broken(String remotePath, long sinceNanos) {
                long at = brokeAt.get();
                return at != 0 && at - sinceNanos >= 0 ? Optional.of(BROKE) : Optional.empty();
            }

            @Override
            public <T extends AutoCloseable> T shared(String key, Class<T> type, Supplier<? extends T> create) {
                return shared.get(key, type, create);
            }
        };
    }

    @Test
    void aReadWhoseConnectionBrokeIsAskedOnceMoreOnANewConnection() throws Exception {
        script.addAll(List.of(Then.BREAK, Then.ANSWER));
        try (DaemonConnection d = daemonConnection()) {
            d.read("ping", c -> c.pingCmd().exec());
        }
        assertEquals(2, connections.get());
    }

    @Test
    void aReadThatBreaksTwiceIsALostConnectionThatChangedNothing() throws Exception {
        script.addAll(List.of(Then.BREAK, Then.BREAK));
        try (DaemonConnection d = daemonConnection()) {
            TargetException e = assertThrows(TargetException.class, () -> d.read("listing containers", c -> c.pingCmd().exec()));
            assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
            assertEquals(TargetException.LostCommand.READ_ONLY, e.lostCommand());
            assertEquals("docker on host 'web1': listing containers was cut short: " + BROKE + "; asked again on a new connection,"
                    + " which broke too; it only reads: nothing changed on the host", e.getMessage());
        }
        assertEquals(2, connections.get());
    }

    @Test
    void aChangeWhoseConnectionBrokeIsNeverAskedAgainAndMayHaveTakenEffect() throws Exception {
        script.addAll(List.of(Then.BREAK, Then.ANSWER));
        try (DaemonConnection d = daemonConnection()) {
            TargetException e = assertThrows(TargetException.class, () -> d.change("starting container 'app'",
                    c -> c.pingCmd().exec()));
            assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
            assertEquals(TargetException.LostCommand.MAY_STILL_RUN, e.lostCommand());
            assertEquals("docker on host 'web1': starting container 'app' was cut short: " + BROKE
                    + "; the daemon may have done it, or may still be doing it", e.getMessage());
        }
        assertEquals(1, connections.get(), "not sent twice");
    }

    @Test
    void aDaemonThatClosedTheConnectionItselfIsNotAnsweringNotALostConnection() throws Exception {
        script.addAll(List.of(Then.CLOSE, Then.CLOSE, Then.ANSWER));
        try (DaemonConnection d = daemonConnection()) {
            TargetException e = assertThrows(TargetException.class, () -> d.read("ping", c -> c.pingCmd().exec()));
            assertTrue(DockerTargets.daemonNotAnswering(e), e.kind() + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith("docker daemon on host 'web1' is not answering (ping): "), e.getMessage());
        }
    }

    @Test
    void aReadTheDaemonLeavesUnansweredTimesOutAfterTheConfiguredResponseTimeout() throws Exception {
        script.add(Then.SILENT);
        System.setProperty(DockerClientFactory.RESPONSE_TIMEOUT_PROPERTY, "300ms");
        long started = System.nanoTime();
        try (DaemonConnection d = daemonConnection()) {
            TargetException e = assertThrows(TargetException.class, () -> d.read("listing containers", c -> c.pingCmd().exec()));
            assertEquals(TargetException.Kind.TIMEOUT, e.kind(), e.getMessage());
            assertEquals("docker daemon on host 'web1' did not answer within 300ms while listing containers", e.getMessage());
        } finally {
            System.clearProperty(DockerClientFactory.RESPONSE_TIMEOUT_PROPERTY);
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(ms < 4_000, "ended by the deadline, not by the daemon: " + ms + " ms");
        // the client's own retry of a GET whose connection failed meets the interrupt still set: it never reaches the daemon
        assertEquals(1, connections.get(), "asked once");
    }

    @Test
    void anUnreadableResponseTimeoutIsTheDefaultNeverNoDeadline() {
        for (String bad : List.of("soon", "0s", "")) {
            System.setProperty(DockerClientFactory.RESPONSE_TIMEOUT_PROPERTY, bad);
            try {
                assertEquals(DockerClientFactory.DEFAULT_RESPONSE_TIMEOUT, DockerClientFactory.responseTimeout(), bad);
            } finally {
                System.clearProperty(DockerClientFactory.RESPONSE_TIMEOUT_PROPERTY);
            }
        }
    }

    /** An image upload to a daemon that took it and never answers ends within the step's limit, not when the daemon goes on. */
    @Test
    void anImageUploadTheDaemonNeverAnswersEndsAtItsTimeout() throws Exception {
        script.add(Then.FROZEN);
        long started = System.nanoTime();
        try (DockerDaemon d = new DockerDaemon("web1", forwarding(), "/var/run/docker.sock")) {
            TargetException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                    () -> assertThrows(TargetException.class, () -> d.load(new java.io.ByteArrayInputStream(new byte[10_000]), java.time.Duration.ofMillis(300))),
                    "the upload waited on the frozen daemon");
            assertEquals(TargetException.Kind.TIMEOUT, e.kind(), e.getMessage());
            assertEquals("docker on host 'web1': loading images did not finish within 300ms", e.getMessage());
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(ms < 4_000, "ended by its limit: " + ms + " ms");
    }

    /**
     * A call that ends in an Error (not an exception) leaves no deadline armed behind it: its interrupt would otherwise hit
     * whatever the thread does next (a journal's fsync, an ssh channel's wait) once the response timeout is up.
     */
    @Test
    void aCallThatEndsInAnErrorLeavesNoInterruptBehind() throws Exception {
        System.setProperty(DockerClientFactory.RESPONSE_TIMEOUT_PROPERTY, "200ms");
        try (DaemonConnection d = daemonConnection()) {
            assertThrows(AssertionError.class, () -> d.read("ping", c -> {
                throw new AssertionError("a bug under the call");
            }));
            long until = System.nanoTime() + java.time.Duration.ofMillis(1_000).toNanos();
            while (System.nanoTime() < until) {
                org.junit.jupiter.api.Assertions.assertFalse(Thread.currentThread().isInterrupted(), "a stray interrupt after the call");
                Thread.onSpinWait();
            }
        } finally {
            System.clearProperty(DockerClientFactory.RESPONSE_TIMEOUT_PROPERTY);
            Thread.interrupted();
        }
    }

    /** What 0364ffd's test asked of a silent daemon's change: a step's timeout or Ctrl-C (an interrupt) ends the wait at once. */
    @Test
    void anInterruptEndsAChangeTheDaemonLeavesUnansweredAtOnce() throws Exception {
        script.add(Then.FROZEN);
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            caller.interrupt();
        });
        long started = System.nanoTime();
        try (DaemonConnection d = daemonConnection()) {
            interrupter.start();
            assertThrows(InterruptedException.class, () -> d.change("starting container 'app'", c -> c.pingCmd().exec()));
        } finally {
            Thread.interrupted();
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(ms < 4_000, "ended by the interrupt, not the minute: " + ms + " ms");
    }
}
