package dev.opsctl.target.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Collects the frames of an attach, logs or exec stream: stdout, stderr and both interleaved, each
 * capped at {@code max} bytes (the rest is dropped and {@link #truncated()} says so). Thread-safe.
 */
final class OutputCollector extends ResultCallback.Adapter<Frame> {
    private final int max;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final ByteArrayOutputStream combined = new ByteArrayOutputStream();
    private boolean truncated;

    OutputCollector(int max) {
        this.max = max;
    }

    @Override
    public synchronized void onNext(Frame frame) {
        byte[] payload = frame.getPayload();
        if (payload == null) {
            return;
        }
        append(frame.getStreamType() == StreamType.STDERR ? stderr : stdout, payload);
        append(combined, payload);
    }

    private void append(ByteArrayOutputStream to, byte[] payload) {
        int room = max - to.size();
        if (room < payload.length) {
            truncated = true;
        }
        if (room > 0) {
            to.write(payload, 0, Math.min(room, payload.length));
        }
    }

    synchronized String stdout() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    synchronized String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    synchronized String combined() {
        return combined.toString(StandardCharsets.UTF_8);
    }

    /** Whether this output's stdout and stderr each begin with {@code before}'s: it holds all of that and maybe more. */
    boolean beginsWith(OutputCollector before) {
        byte[][] earlier;
        synchronized (before) {
            earlier = new byte[][] {before.stdout.toByteArray(), before.stderr.toByteArray()};
        }
        synchronized (this) {
            return startsWith(stdout.toByteArray(), earlier[0]) && startsWith(stderr.toByteArray(), earlier[1]);
        }
    }

    private static boolean startsWith(byte[] all, byte[] prefix) {
        return all.length >= prefix.length && Arrays.equals(all, 0, prefix.length, prefix, 0, prefix.length);
    }

    synchronized boolean truncated() {
        return truncated;
    }
}
