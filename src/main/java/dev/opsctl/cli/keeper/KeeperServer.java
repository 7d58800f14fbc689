package dev.opsctl.cli.keeper;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.opsctl.engine.ExitCodes;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The keeper's side: listens on the place's socket while it holds the place's lock, runs each
 * client's request on a thread of its own, and stops once no request has run for the keep time of
 * the last one (or its socket was removed). A second keeper for the same place finds the lock held
 * and leaves at once. Only a peer of this process's own user is served.
 */
public final class KeeperServer {
    /** What the keeper does with a request; {@code dev.opsctl.cli} runs the command line. */
    public interface Runner {
        /** Runs one request to its exit code, on the request's own thread; that thread is interrupted when the client goes away. */
        int run(KeeperWire.Request request, PrintStream out, PrintStream err);

        /** The keeper stops: close what it kept. */
        void stop();
    }

    private static final byte[] END = new byte[0];
    /** Output a client has not read yet, at most: beyond it the command's writers wait, as they would on a full pipe. */
    static final int UNSENT_BYTES = 4 << 20;
    /** A connection that has not sent its request by then is closed (it would keep the keeper from ever idling out). */
    static final Duration REQUEST_WITHIN = Duration.ofSeconds(10);
    private final Duration requestWithin;
    private final Object accepting = new Object();
    private boolean closing; // under accepting
    private ScheduledExecutorService timer;
    private final KeeperPlace place;
    private final Runner runner;
    private final AtomicInteger active = new AtomicInteger();
    private volatile long lastUseNanos = System.nanoTime();
    private volatile Duration keep;

    public KeeperServer(KeeperPlace place, Runner runner, Duration keep) {
        this(place, runner, keep, REQUEST_WITHIN);
    }

    KeeperServer(KeeperPlace place, Runner runner, Duration keep, Duration requestWithin) {
        this.requestWithin = requestWithin;
        this.place = place;
        this.runner = runner;
        this.keep = keep;
    }

    /** Serves until idle; false when another keeper already holds this place. */
    public boolean serve() throws IOException {
        try (FileChannel lockFile = FileChannel.open(place.lock(), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                FileLock lock = tryLock(lockFile)) {
            if (lock == null) {
                return false;
            }
            lockFile.truncate(0);
            lockFile.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(UTF_8)));
            Files.deleteIfExists(place.socket());
            ScheduledExecutorService idleCheck = timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "keeper-idle");
                t.setDaemon(true);
                return t;
            });
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(place.socket()));
                Files.setPosixFilePermissions(place.socket(), PosixFilePermissions.fromString("rw-------"));
                idleCheck.scheduleWithFixedDelay(() -> closeWhenIdle(server), 200, 200, TimeUnit.MILLISECONDS);
                acceptUntilClosed(server);
            } finally {
                Files.deleteIfExists(place.socket());
                while (active.get() > 0) {
                    sleepQuietly(50);
                }
                idleCheck.shutdownNow(); // the requests still running used its timer
                runner.stop();
            }
            return true;
        }
    }

    private static FileLock tryLock(FileChannel lockFile) throws IOException {
        try {
            return lockFile.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by a keeper in this very process
        }
    }

    private void closeWhenIdle(ServerSocketChannel server) {
        synchronized (accepting) {
            boolean idle = active.get() == 0 && System.nanoTime() - lastUseNanos >= keep.toNanos();
            if (!idle && !(active.get() == 0 && !Files.exists(place.socket()))) {
                return;
            }
            closing = true;
        }
        try {
            server.close();
        } catch (IOException e) {
            // closing is all that is left to do
        }
    }

    private void acceptUntilClosed(ServerSocketChannel server) {
        while (true) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                System.err.println("opsctl keeper: accept failed: " + e);
                return;
            }
            synchronized (accepting) {
                // a client that connected as the keeper decided to stop gets no 'accepted' and starts another keeper
                if (closing || !ownUser(client)) {
                    closeQuietly(client);
                    continue;
                }
                active.incrementAndGet();
            }
            Thread t = new Thread(() -> {
                try {
                    handle(client);
                } finally {
                    lastUseNanos = System.nanoTime();
                    active.decrementAndGet();
                }
            }, "keeper-request");
            t.start();
        }
    }

    private static boolean ownUser(SocketChannel client) {
        try {
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return peer.user().getName().equals(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private void handle(SocketChannel client) {
        Frames frames = new Frames();
        Thread sender = new Thread(() -> send(client, frames), "keeper-send");
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(KeeperWire.input(client)));
            KeeperWire.Request request;
            ScheduledFuture<?> deadline = timer.schedule(() -> closeQuietly(client), requestWithin.toMillis(), TimeUnit.MILLISECONDS);
            try {
                request = KeeperWire.read(in);
            } catch (IOException e) {
                return;
            } finally {
                deadline.cancel(false);
            }
            if (!client.isOpen()) {
                return;
            }
            keep = request.keep();
            sender.start();
            frames.add(KeeperWire.frame(KeeperWire.ACCEPTED, new byte[0], 0, 0));
            ClientWatch watch = new ClientWatch(in, Thread.currentThread());
            watch.start();
            int code;
            try (PrintStream out = framed(frames, KeeperWire.OUT); PrintStream err = framed(frames, KeeperWire.ERR)) {
                try {
                    code = runner.run(request, out, err);
                } catch (RuntimeException | LinkageError e) {
                    err.println("opsctl keeper: internal error: " + e + " (this is a bug)");
                    code = ExitCodes.INTERNAL;
                }
            } finally {
                watch.done();
            }
            frames.add(KeeperWire.exitFrame(code));
        } finally {
            frames.add(END);
            joinQuietly(sender); // the exit frame is written before the socket closes
            closeQuietly(client);
        }
    }

    /** Frames reach the socket from one thread that nobody interrupts: an interrupted writer would close the channel. */
    private static void send(SocketChannel client, Frames frames) {
        OutputStream out = KeeperWire.output(client);
        boolean broken = false;
        while (true) {
            byte[] f;
            try {
                f = frames.take();
            } catch (InterruptedException e) {
                return;
            }
            if (f == END) {
                return;
            }
            if (!broken) {
                try {
                    out.write(f);
                } catch (IOException e) {
                    broken = true; // the client is gone; keep draining so that writers never block
                }
            }
            frames.sent(f);
        }
    }

    /** Frames on their way to the client, within {@link #UNSENT_BYTES}. */
    private static final class Frames {
        private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        private final Semaphore budget = new Semaphore(UNSENT_BYTES);

        /** Waits (not interruptibly: the sender always frees room, also for a departed client) while too much is unsent. */
        void add(byte[] frame) {
            budget.acquireUninterruptibly(cost(frame));
            queue.add(frame);
        }

        byte[] take() throws InterruptedException {
            return queue.take();
        }

        void sent(byte[] frame) {
            budget.release(cost(frame));
        }

        private static int cost(byte[] frame) {
            return Math.min(frame.length, UNSENT_BYTES);
        }
    }

    private static PrintStream framed(Frames frames, byte kind) {
        OutputStream frameStream = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (len > 0) {
                    frames.add(KeeperWire.frame(kind, b, off, len));
                }
            }
        };
        return new PrintStream(new BufferedOutputStream(frameStream, 8192), true, UTF_8);
    }

    /** Interrupts the command's thread when the client closes its end (Ctrl-C, killed) before the command is done. */
    private static final class ClientWatch extends Thread {
        private final DataInputStream in;
        private final Thread worker;
        private boolean done;

        ClientWatch(DataInputStream in, Thread worker) {
            super("keeper-watch");
            setDaemon(true);
            this.in = in;
            this.worker = worker;
        }

        @Override
        public void run() {
            try {
                while (in.read() >= 0) {
                    // a client sends nothing after its request; anything more is ignored
                }
            } catch (IOException e) {
                // gone as well
            }
            synchronized (this) {
                if (!done) {
                    worker.interrupt();
                }
            }
        }

        synchronized void done() {
            done = true;
            Thread.interrupted(); // a late interrupt aimed at the finished command must not reach the exit frame
        }
    }

    private static void joinQuietly(Thread t) {
        if (t.getState() == Thread.State.NEW) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // refused anyway
        }
    }
}
