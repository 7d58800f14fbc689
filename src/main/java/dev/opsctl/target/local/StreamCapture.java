package dev.opsctl.target.local;

import dev.opsctl.target.OutputListener;
import dev.opsctl.target.OutputText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Drains one output stream of a process on its own thread: keeps the first {@code cap} bytes and
 * hands every complete line to the listener. Draining continues past the cap so the process never
 * blocks on a full pipe. Given a start mark ({@link LocalCommand#startMark}), it takes its first
 * occurrence out of the stream and says it saw it.
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
    private final byte[] mark;
    /** Bytes of the mark matched so far: held back until the next byte says whether they are the mark. */
    private int matched;
    private volatile boolean sawMark;

    StreamCapture(InputStream in, OutputListener.Stream stream, OutputListener listener, int cap, OutputText text) {
        this(in, stream, listener, cap, text, Optional.empty());
    }

    StreamCapture(InputStream in, OutputListener.Stream stream, OutputListener listener, int cap, OutputText text,
            Optional<String> startMark) {
        this.in = in;
        this.stream = stream;
        this.listener = listener;
        this.cap = cap;
        this.text = text;
        this.mark = startMark.map(m -> m.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
    }

    @Override
    public void run() {
        byte[] buf = new byte[64 * 1024];
        try (in) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (mark.length > 0 && !sawMark) {
                    byte[] rest = unmarked(buf, n);
                    pass(rest, rest.length);
                } else {
                    pass(buf, n);
                }
            }
        } catch (IOException e) {
            // the stream closes when the process is killed; what was read so far is the result
        }
        if (matched > 0) {
            pass(Arrays.copyOf(mark, matched), matched);
        }
        if (line.size() > 0) {
            emit();
        }
    }

    private void pass(byte[] buf, int n) {
        keep(buf, n);
        split(buf, n);
    }

    /** {@code buf[0..n)} without the mark; a possible start of it is held back. The mark's first byte occurs in it once. */
    private byte[] unmarked(byte[] buf, int n) {
        ByteArrayOutputStream rest = new ByteArrayOutputStream(n + mark.length);
        for (int i = 0; i < n; i++) {
            if (sawMark) {
                rest.write(buf, i, n - i);
                break;
            }
            if (buf[i] == mark[matched]) {
                if (++matched == mark.length) {
                    matched = 0;
                    sawMark = true;
                }
                continue;
            }
            rest.write(mark, 0, matched);
            matched = buf[i] == mark[0] ? 1 : 0;
            if (matched == 0) {
                rest.write(buf[i]);
            }
        }
        return rest.toByteArray();
    }

    /** Whether the start mark went by. */
    boolean sawStartMark() {
        return sawMark;
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
