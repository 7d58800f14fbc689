package dev.opsctl.target.local;

import dev.opsctl.target.OutputListener;
import dev.opsctl.target.OutputText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Drains one output stream of a process on its own thread: keeps the first {@code cap} bytes and
 * hands every complete line to the listener. Draining continues past the cap so the process never
 * blocks on a full pipe.
 */
final class StreamCapture implements Runnable {
    private final InputStream in;
    private final OutputListener.Stream stream;
    private final OutputListener listener;
    private final int cap;
    private final OutputText text;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private volatile boolean truncated;

    StreamCapture(InputStream in, OutputListener.Stream stream, OutputListener listener, int cap, OutputText text) {
        this.in = in;
        this.stream = stream;
        this.listener = listener;
        this.cap = cap;
        this.text = text;
    }

    @Override
    public void run() {
        byte[] buf = new byte[64 * 1024];
        try (in) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                keep(buf, n);
                split(buf, n);
            }
        } catch (IOException e) {
            // the stream closes when the process is killed; what was read so far is the result
        }
        if (line.size() > 0) {
            emit();
        }
    }

    private void keep(byte[] buf, int n) {
        synchronized (kept) {
            int room = cap - kept.size();
            if (n > room) {
                truncated = true;
            }
            kept.write(buf, 0, Math.max(0, Math.min(room, n)));
        }
    }

    private void split(byte[] buf, int n) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                line.write(buf, start, i - start);
                emit();
                start = i + 1;
            }
        }
        line.write(buf, start, n - start);
        if (line.size() > 1024 * 1024) {
            // a megabyte without a newline is not a line for a console: pass it on in pieces
            emit();
        }
    }

    private void emit() {
        String decoded = text.decode(line.toByteArray());
        line.reset();
        if (decoded.endsWith("\r")) {
            decoded = decoded.substring(0, decoded.length() - 1);
        }
        try {
            listener.line(stream, decoded);
        } catch (RuntimeException e) {
            // a faulty listener must not stop the draining, or the process would block
        }
    }

    byte[] bytes() {
        synchronized (kept) {
            return kept.toByteArray();
        }
    }

    String text() {
        return text.decode(bytes());
    }

    boolean truncated() {
        return truncated;
    }
}
