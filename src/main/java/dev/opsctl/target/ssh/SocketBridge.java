package dev.opsctl.target.ssh;

import dev.opsctl.source.TerminalText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A private local unix socket (in a fresh 0700 directory) whose every accepted connection is
 * bridged to a stream opened on the host, e.g. to its {@code /var/run/docker.sock}. Lets clients
 * that only speak to unix sockets (docker-java) reach a daemon over the host's SSH connection.
 * Closing it closes every bridged connection and removes the socket and its directory. Thread-safe.
 */
final class SocketBridge implements AutoCloseable {
    /** One end of a bridged connection on the host: its two streams, closed together. */
    interface RemoteEnd extends AutoCloseable {
        InputStream input();

        OutputStream output();

        /**
         * Why the host's end closed, when it said so (dial-stdio's error); asked once it ended
         * before sending anything, so may wait briefly for the words to arrive.
         */
        default Optional<String> whyEnded() {
            return Optional.empty();
        }

        @Override
        void close();
    }

    /** Opens the host's end for one accepted local connection. */
    @FunctionalInterface
    interface Opener {
        RemoteEnd open() throws IOException, InterruptedException;
    }

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final int MAX_REASON = 1024;
    /** How long a refused connection waits for its client to close, so it sees the end and not a reset. */
    static final long REFUSED_DRAIN_MILLIS = 2000;

    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final Opener opener;
    private final ExecutorService threads;
    private final Set<BridgedConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final LatestUnanswered unanswered = new LatestUnanswered();
    /** The latest connection whose host end failed (the connection under it lost), and why; kept the same way. */
    private final LatestUnanswered broken = new LatestUnanswered();
    private volatile boolean closed;

    private SocketBridge(Path dir, Path socket, ServerSocketChannel server, Opener opener, String name) {
        this.dir = dir;
        this.socket = socket;
        this.server = server;
        this.opener = opener;
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "socket-bridge-" + name + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Listens on {@code <new 0700 dir>/<fileName>}; {@code name} is for thread names. */
    static SocketBridge start(String name, String fileName, Opener opener) throws IOException {
        Path dir = Files.createTempDirectory("opsctl-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path socket = dir.resolve(fileName);
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            SocketBridge b = new SocketBridge(dir, socket, server, opener, name);
            b.threads.execute(b::acceptLoop);
            return b;
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
            throw e;
        }
    }

    Path socket() {
        return socket;
    }

    /** How many local connections were accepted so far (each one remote channel). */
    int accepted() {
        return accepted.get();
    }

    /**
     * Why the latest connection that ended before the host sent a byte ended so (the channel was
     * refused, dial-stdio failed), if that was at or after {@code sinceNanos} ({@link System#nanoTime})
     * and the host said why; empty once a later connection was answered or ended without a reason.
     * The client on the local socket sees only a connection closed without an answer, which this
     * explains. Connections made at the same time by other threads may be the ones it is about:
     * they reach the same socket on the same host.
     */
    Optional<String> unanswered(long sinceNanos) {
        return unanswered.since(sinceNanos);
    }

    /**
     * Why the host's end of a connection failed at or after {@code sinceNanos} (its connection was lost, as
     * opposed to the host closing it), if one did: the client sees both as its connection closed.
     */
    Optional<String> broken(long sinceNanos) {
        return broken.since(sinceNanos);
    }

    private void broke(IOException e) {
        // only the transport's death: a channel closed on our side (a client gone, the bridge closing) fails its reads too
        if (SshErrors.transportBroke(e)) {
            broken.ended(printable(SshErrors.message(e)), System.nanoTime());
        }
    }

    private void ended(Optional<String> why) {
        unanswered.ended(why.map(SocketBridge::printable).orElse(null), System.nanoTime());
    }

    /** Words from the host, for an error message on a terminal: one line, no control or format characters, bounded. */
    static String printable(String words) {
        String s = TerminalText.visible(words.strip().replaceAll("\\s*\\R\\s*", "; "));
        return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON) + "…";
    }

    /** Connections bridged right now. */
    int active() {
        return open.size();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel local;
            try {
                local = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            threads.execute(() -> bridge(local));
        }
    }

    private void bridge(SocketChannel local) {
        RemoteEnd remote;
        try {
            remote = opener.open();
        } catch (IOException | RuntimeException e) {
            ended(Optional.of(SshErrors.message(e)));
            endUnanswered(local);
            return;
        } catch (InterruptedException e) {
            quietly(local);
            Thread.currentThread().interrupt();
            return;
        }
        BridgedConnection c = new BridgedConnection(local, remote, open::remove, this::ended, this::broke);
        open.add(c);
        if (closed) {
            c.close();
            return;
        }
        threads.execute(c::pumpToRemote);
        c.pumpToLocal();
    }

    /**
     * Ends a connection the host never took: our side first, then the client's request read away
     * until it closes (bounded). Closed with the request unread, a unix socket resets, and the
     * client reports "connection reset" rather than a connection closed without an answer. An
     * interrupt (the bridge closing) ends the wait at once and stays set: select returns at once
     * while it is set.
     */
    static void endUnanswered(SocketChannel local) {
        try {
            local.shutdownOutput();
            local.configureBlocking(false);
            ByteBuffer sink = ByteBuffer.allocate(8192);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REFUSED_DRAIN_MILLIS);
            try (Selector selector = Selector.open()) {
                local.register(selector, SelectionKey.OP_READ);
                while (System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                    sink.clear();
                    if (local.read(sink) < 0) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            // the client went first
        } finally {
            quietly(local);
        }
    }

    @Override
    public void close() {
        closed = true;
        quietly(server);
        for (BridgedConnection c : open) {
            c.close();
        }
        threads.shutdownNow();
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover empty 0700 directory in the temp dir harms nobody
        }
    }

    static void quietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already broken: nothing to release
        }
    }
}
