package dev.opsctl.target.ssh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One local connection of a {@link SocketBridge} and its remote end, pumped both ways by two
 * threads. The local side is read and written through {@link ByteBuffer}s on the channel itself:
 * wrapping one blocking channel in both {@code Channels.newInputStream} and {@code newOutputStream}
 * makes reads and writes share a lock and deadlock as soon as they overlap (HTTP keep-alive, attach).
 * An EOF is passed on as a half-close, so hijacked streams end cleanly.
 */
final class BridgedConnection {
    private static final int BUFFER = 32 * 1024;

    private final SocketChannel local;
    private final SocketBridge.RemoteEnd remote;
    private final Consumer<BridgedConnection> onClosed;
    private final Consumer<Optional<String>> outcome;
    private final Consumer<IOException> broke;
    private final AtomicInteger directionsDone = new AtomicInteger();

    /**
     * {@code outcome} hears once whether the host answered: empty when it sent a byte, else why it
     * ended without one, if the host's end says (before the client sees the end). {@code broke} hears
     * when the host's end failed (its connection was lost) rather than ended, before the client sees it.
     */
    BridgedConnection(SocketChannel local, SocketBridge.RemoteEnd remote, Consumer<BridgedConnection> onClosed,
            Consumer<Optional<String>> outcome, Consumer<IOException> broke) {
        this.local = local;
        this.remote = remote;
        this.onClosed = onClosed;
        this.outcome = outcome;
        this.broke = broke;
    }

    /** Local client -> host, until the client half-closes or the connection breaks. */
    void pumpToRemote() {
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        try {
            while (local.read(buf) >= 0) {
                try {
                    remote.output().write(buf.array(), 0, buf.position());
                    remote.output().flush();
                } catch (IOException e) {
                    broke.accept(e);
                    throw e;
                }
                buf.clear();
            }
            remote.output().close();
            done();
        } catch (IOException e) {
            close();
        }
    }

    /** Host -> local client, until the host's end closes or the connection breaks. */
    void pumpToLocal() {
        byte[] bytes = new byte[BUFFER];
        boolean answered = false;
        try {
            int n;
            while ((n = read(bytes)) >= 0) {
                if (!answered && n > 0) {
                    answered = true;
                    outcome.accept(Optional.empty());
                }
                ByteBuffer buf = ByteBuffer.wrap(bytes, 0, n);
                while (buf.hasRemaining()) {
                    local.write(buf);
                }
            }
            if (!answered) {
                outcome.accept(remote.whyEnded());
            }
            local.shutdownOutput();
            done();
        } catch (IOException e) {
            close();
        }
    }

    /** From the host's end; its failure (not its end) is the host's connection lost under the client. */
    private int read(byte[] bytes) throws IOException {
        try {
            return remote.input().read(bytes);
        } catch (IOException e) {
            broke.accept(e);
            throw e;
        }
    }

    private void done() {
        if (directionsDone.incrementAndGet() == 2) {
            close();
        }
    }

    void close() {
        SocketBridge.quietly(local);
        remote.close();
        onClosed.accept(this);
    }
}
