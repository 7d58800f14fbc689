package dev.opsctl.target.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deadline of a request to a daemon that takes it and answers nothing, on a unix socket read as docker-java reads one. */
class ResponseDeadlineTest {
    @TempDir
    Path tmp;

    @Test
    void endsAReadOfASocketThatNeverAnswersAndSaysItPassed() throws Exception {
        UnixDomainSocketAddress at = UnixDomainSocketAddress.of(tmp.resolve("silent.sock"));
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(at);
            SocketChannel c = SocketChannel.open(at);
            // docker-java's UnixSocket reads through such a stream, which SO_TIMEOUT does not bound
            InputStream in = Channels.newInputStream(c);
            long start = System.nanoTime();
            ResponseDeadline deadline = ResponseDeadline.arm(Duration.ofMillis(300));
            assertThrows(ClosedByInterruptException.class, in::read);
            assertTrue(deadline.disarm(), "it passed");
            assertFalse(Thread.currentThread().isInterrupted(), "its interrupt is not left behind");
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000);
        }
    }

    @Test
    void aDeadlineDisarmedInTimeNeitherPassesNorWaitsInTheTimer() throws Exception {
        int before = ResponseDeadline.armed();
        for (int i = 0; i < 1000; i++) {
            assertFalse(ResponseDeadline.arm(Duration.ofSeconds(60)).disarm());
        }
        assertEquals(before, ResponseDeadline.armed(), "answered calls leave no deadline queued for 60 s");
        Thread.sleep(100);
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
