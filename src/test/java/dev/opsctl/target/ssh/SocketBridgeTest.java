package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What a bridge keeps of why a connection ended without an answer: the client sees only the end. */
class SocketBridgeTest {

    private record End(InputStream input, Optional<String> why) implements SocketBridge.RemoteEnd {
        End(String answer, Optional<String> why) {
            this(new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8)), why);
        }

        @Override
        public OutputStream output() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public Optional<String> whyEnded() {
            return why;
        }

        @Override
        public void close() {}
    }

    @Test
    void keepsWhyAConnectionWasRefusedOrEndedUnansweredAndForgetsItOnceOneIsAnswered() throws Exception {
        AtomicReference<Object> next = new AtomicReference<>();
        try (SocketBridge bridge = SocketBridge.start("test", "docker.sock", () -> {
            Object o = next.get();
            if (o instanceof IOException e) {
                throw e;
            }
            return (SocketBridge.RemoteEnd) o;
        })) {
            long start = System.nanoTime();
            assertEquals(Optional.empty(), bridge.unanswered(start));

            next.set(new IOException("channel open failed: administratively prohibited"));
            assertEquals("", exchange(bridge), "a clean end, not a reset: the client reports it closed unanswered");
            assertEquals(Optional.of("channel open failed: administratively prohibited"), bridge.unanswered(start));

            long second = System.nanoTime();
            next.set(new End("", Optional.of("'docker system dial-stdio' said: cannot\nconnect")));
            assertEquals("", exchange(bridge));
            // kept before the client saw the end, so its error can already say it
            assertEquals(Optional.of("'docker system dial-stdio' said: cannot; connect"), bridge.unanswered(second));
            assertEquals(Optional.empty(), bridge.unanswered(System.nanoTime()), "not for a call that began after it");

            next.set(new End("", Optional.empty()));
            assertEquals("", exchange(bridge));
            assertEquals(Optional.empty(), bridge.unanswered(start), "a later end without a reason is not explained by an older one");

            next.set(new End("", Optional.of("refused again")));
            exchange(bridge);
            next.set(new End("HTTP/1.1 200 OK\r\n\r\n", Optional.of("not asked: it answered")));
            assertEquals("HTTP/1.1 200 OK\r\n\r\n", exchange(bridge));
            assertEquals(Optional.empty(), bridge.unanswered(start), "an answered connection clears the old reason");
        }
    }

    /** A host end that sends part of an answer, then fails as sshj's channel streams do when the connection under them is lost. */
    private static InputStream breaksAfter(String sent) {
        return new java.io.SequenceInputStream(new ByteArrayInputStream(sent.getBytes(StandardCharsets.UTF_8)), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new net.schmizz.sshj.connection.ConnectionException("Broken transport; encountered EOF",
                        new net.schmizz.sshj.transport.TransportException("Broken transport; encountered EOF"));
            }
        });
    }

    @Test
    void tellsAConnectionWhoseHostEndFailedFromOneTheHostEnded() throws Exception {
        AtomicReference<SocketBridge.RemoteEnd> next = new AtomicReference<>();
        try (SocketBridge bridge = SocketBridge.start("test", "docker.sock", next::get)) {
            long start = System.nanoTime();
            next.set(new End("HTTP/1.1 200 OK\r\n\r\n", Optional.empty()));
            exchange(bridge);
            assertEquals(Optional.empty(), bridge.broken(start), "a host end that ended: the daemon closed it");

            next.set(new End(breaksAfter("HTTP/1.1 200 OK\r\n"), Optional.empty()));
            exchange(bridge); // the client sees only its connection closed (or reset, its request unread)
            assertEquals(Optional.of("broken transport; encountered EOF"), bridge.broken(start));
            assertEquals(Optional.empty(), bridge.broken(System.nanoTime()), "not for a call that began after it");

            long third = System.nanoTime();
            next.set(new End(new java.io.SequenceInputStream(new ByteArrayInputStream(new byte[0]), new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("stream closed");
                }
            }), Optional.empty()));
            exchange(bridge);
            assertEquals(Optional.empty(), bridge.broken(third), "a channel that failed while its connection lives on is no loss");
        }
    }

    @Test
    void theHostsWordsAreOneBoundedLineWithoutControlOrFormatCharacters() {
        String words = "failed to open\n  the raw stream\u001b[31m \u009b2J \u202Eeil" + "\nx".repeat(2000);
        String p = SocketBridge.printable(words);
        assertTrue(p.startsWith("failed to open; the raw stream\\x1b[31m \\x9b2J \\u202eeil; x; x"), p);
        assertEquals(1025, p.length(), "cut after the lines are joined and escaped: " + p.length());
        assertTrue(p.endsWith("…"));
    }

    @Test
    void dialStdioErrorsAreKeptBoundedAndEmptyWhenItWroteNothing() {
        DialStdioErrors e = DialStdioErrors.drain(new ByteArrayInputStream("y".repeat(5000).getBytes(StandardCharsets.UTF_8)));
        assertEquals("y".repeat(1024), e.text().orElseThrow());
        assertEquals(Optional.empty(), DialStdioErrors.drain(new ByteArrayInputStream(" \n".getBytes(StandardCharsets.UTF_8))).text());
    }

    @Test
    void anInterruptEndsTheWaitForARefusedClientToCloseAtOnceAndStaysSet() throws Exception {
        Path dir = Files.createTempDirectory("opsctl-test-");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("s.sock"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(address);
            client.connect(address);
            SocketChannel local = server.accept();
            // the client neither sends nor closes: the drain would wait its whole bound
            AtomicLong returnedAt = new AtomicLong();
            AtomicBoolean interruptKept = new AtomicBoolean();
            Thread draining = new Thread(() -> {
                SocketBridge.endUnanswered(local);
                returnedAt.set(System.nanoTime());
                interruptKept.set(Thread.currentThread().isInterrupted());
            });
            draining.start();
            Thread.sleep(SocketBridge.REFUSED_DRAIN_MILLIS / 10);
            long interruptedAt = System.nanoTime();
            draining.interrupt(); // as SocketBridge.close's shutdownNow does
            draining.join(SocketBridge.REFUSED_DRAIN_MILLIS * 2);
            long afterInterrupt = TimeUnit.NANOSECONDS.toMillis(returnedAt.get() - interruptedAt);
            assertTrue(returnedAt.get() != 0 && afterInterrupt < SocketBridge.REFUSED_DRAIN_MILLIS / 4,
                    "returned " + afterInterrupt + " ms after the interrupt");
            assertTrue(interruptKept.get(), "the interrupt is the bridge's to see too");
            assertFalse(local.isOpen());
        } finally {
            Files.deleteIfExists(dir.resolve("s.sock"));
            Files.delete(dir);
        }
    }

    /** Sends a request, reads to the end, as an HTTP client on the bridge's socket would. */
    private static String exchange(SocketBridge bridge) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(bridge.socket()));
            ByteBuffer buf = ByteBuffer.allocate(4096);
            try {
                c.write(ByteBuffer.wrap("GET /info HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.UTF_8)));
                while (c.read(buf) >= 0) {
                    // until the bridge closes our side
                }
            } catch (IOException e) {
                return "reset: " + e.getMessage();
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
    }
}
