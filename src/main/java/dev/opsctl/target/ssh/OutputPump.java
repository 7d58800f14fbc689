package dev.opsctl.target.ssh;

import dev.opsctl.target.OutputListener;
import dev.opsctl.target.OutputText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * Copies one remote stream into a capped capture and, line by line, to a listener. With a marker
 * it also watches for the marker followed by {@value #PROMPT} (sudo's password prompt), by
 * {@value #STARTED} (the command began, so sudo is done with stdin), or by {@value #GROUP}, digits and
 * a newline (the command's process group), removes them from the output and reports them.
 */
final class OutputPump implements Callable<Void> {
    private static final int MAX_LINE = 64 * 1024;
    static final char PROMPT = '?';
    static final char STARTED = '!';
    static final char GROUP = '#';
    private static final int MAX_GROUP_DIGITS = 10;

    /** What the marks on a stream announced. */
    interface Marks {
        Marks NONE = new Marks() {};

        default void prompted() {}

        default void started() {}

        default void group(long pgid) {}
    }

    private final InputStream in;
    private final OutputListener.Stream stream;
    private final OutputListener listener;
    private final byte[] marker;
    private final Marks marks;
    private final int capture;
    private final OutputText text;
    private final Bytes captured = new Bytes();
    private final Bytes line = new Bytes();
    private volatile boolean truncated;
    private volatile boolean sawOutput;
    private int matched;
    /** The whole marker was seen: the next byte says which event it announces. */
    private boolean kindNext;
    /** Digits of a process group being read after the marker and {@value #GROUP}; -1 when not reading one. */
    private long group = -1;
    private int groupDigits;

    /**
     * {@code capture}: the bytes of the stream kept for {@link #text()}; the listener sees every line.
     * {@code text}: how those bytes become text, for both.
     */
    OutputPump(InputStream in, OutputListener.Stream stream, OutputListener listener, int capture, OutputText text, String marker,
            Marks marks) {
        this.in = in;
        this.stream = stream;
        this.listener = listener;
        this.capture = capture;
        this.text = text;
        this.marker = marker.getBytes(StandardCharsets.UTF_8);
        this.marks = marks;
    }

    OutputPump(InputStream in, OutputListener.Stream stream, OutputListener listener, int capture, OutputText text) {
        this(in, stream, listener, capture, text, "", Marks.NONE);
    }

    @Override
    public Void call() throws IOException {
        byte[] buf = new byte[32 * 1024];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            for (int i = 0; i < n; i++) {
                filter(buf[i]);
            }
        }
        for (int i = 0; i < (kindNext ? marker.length : matched); i++) {
            emit(marker[i]);
        }
        flushLine();
        return null;
    }

    private void filter(byte b) {
        if (marker.length == 0) {
            emit(b);
            return;
        }
        if (group >= 0) {
            readGroup(b);
            return;
        }
        if (kindNext) {
            kindNext = false;
            if (b == PROMPT) {
                marks.prompted();
                return;
            }
            if (b == STARTED) {
                marks.started();
                return;
            }
            if (b == GROUP) {
                group = 0;
                groupDigits = 0;
                return;
            }
            for (byte m : marker) {
                emit(m);
            }
        }
        if (b == marker[matched]) {
            if (++matched == marker.length) {
                matched = 0;
                kindNext = true;
            }
            return;
        }
        for (int i = 0; i < matched; i++) {
            emit(marker[i]);
        }
        matched = b == marker[0] ? 1 : 0;
        if (matched == 0) {
            emit(b);
        }
    }

    /** Only our own line follows the marker (it is random per command): anything but digits ends it unreported. */
    private void readGroup(byte b) {
        if (b >= '0' && b <= '9' && groupDigits < MAX_GROUP_DIGITS) {
            group = group * 10 + (b - '0');
            groupDigits++;
            return;
        }
        if (b == '\n' && groupDigits > 0 && group > 1) {
            marks.group(group);
        }
        group = -1;
    }

    private void emit(byte b) {
        sawOutput = true;
        if (captured.size() < capture) {
            captured.write(b);
        } else {
            truncated = true;
        }
        if (b == '\n') {
            deliver();
        } else if (line.size() >= MAX_LINE) {
            // a line too long for one listener call goes in pieces, each cut between characters
            byte[] bytes = line.toByteArray();
            int cut = Utf8.boundaryBefore(bytes, bytes.length);
            line.reset();
            line.write(bytes, 0, cut);
            deliver();
            line.write(bytes, cut, bytes.length - cut);
            line.write(b);
        } else {
            line.write(b);
        }
    }

    private void flushLine() {
        if (line.size() > 0) {
            deliver();
        }
    }

    private void deliver() {
        String decoded = line.decode(text);
        line.reset();
        if (decoded.endsWith("\r")) {
            decoded = decoded.substring(0, decoded.length() - 1);
        }
        try {
            listener.line(stream, decoded);
        } catch (RuntimeException e) {
            // a broken listener must not lose the command's output
        }
    }

    boolean sawOutput() {
        return sawOutput;
    }

    boolean truncated() {
        return truncated;
    }

    String text() {
        return captured.decode(text);
    }

    /** A byte buffer decoded in place, without the copy {@code toByteArray} makes. */
    private static final class Bytes extends ByteArrayOutputStream {
        String decode(OutputText text) {
            return text.decode(buf, 0, count);
        }
    }
}
