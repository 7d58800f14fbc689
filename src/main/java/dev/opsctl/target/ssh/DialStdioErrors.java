package dev.opsctl.target.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The stderr of one {@code docker system dial-stdio}, read to its end on a thread of its own so the
 * channel's window never fills, of which the first {@value #KEPT} bytes are kept: when the command
 * fails ("Cannot connect to the Docker daemon…", "docker: command not found") they are the only
 * account of why the connection closed without an answer.
 */
final class DialStdioErrors {
    private static final int KEPT = 1024;
    /** How long {@link #text} waits for the rest of the words once the stream's other end closed. */
    private static final long WAIT_MILLIS = 2000;

    private final byte[] kept = new byte[KEPT];
    private int length;
    private final CountDownLatch ended = new CountDownLatch(1);

    private DialStdioErrors() {}

    static DialStdioErrors drain(InputStream err) {
        DialStdioErrors e = new DialStdioErrors();
        Thread t = new Thread(() -> e.read(err), "dial-stdio-stderr");
        t.setDaemon(true);
        t.start();
        return e;
    }

    private void read(InputStream err) {
        byte[] buf = new byte[4096];
        try (err) {
            int n;
            while ((n = err.read(buf)) >= 0) {
                synchronized (this) {
                    int take = Math.min(n, KEPT - length);
                    System.arraycopy(buf, 0, kept, length, take);
                    length += take;
                }
            }
        } catch (IOException e) {
            // the channel closed
        } finally {
            ended.countDown();
        }
    }

    /** What it wrote, once it ended (or after a short wait); empty when it wrote nothing. */
    Optional<String> text() {
        try {
            ended.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String s;
        synchronized (this) {
            s = new String(kept, 0, length, StandardCharsets.UTF_8);
        }
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }
}
