package dev.opsctl.target.kube;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of the mock API server that can break the watches going through it the way a
 * misbehaving proxy does: {@link #garbleWatches()} ends every WebSocket connection (a watch) with a
 * frame of a reserved opcode, which the JDK client rejects as a protocol error. Plain requests pass.
 * {@link #blackHole()} makes it take in every byte and answer none, as a dead route or a stuck load
 * balancer does.
 */
final class WatchBreakingProxy implements AutoCloseable {
    /** FIN + opcode 0xB (reserved for control frames), no payload. */
    private static final byte[] BAD_FRAME = {(byte) 0x8B, 0x00};

    private final ServerSocket listener;
    private final int upstreamPort;
    private final List<Relay> watches = new CopyOnWriteArrayList<>();
    private final List<Relay> all = new CopyOnWriteArrayList<>();
    private final AtomicInteger garbled = new AtomicInteger();
    private final List<Socket> heldOpen = new CopyOnWriteArrayList<>();
    private volatile boolean blackHole;

    WatchBreakingProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "watch-breaking-proxy");
        t.setDaemon(true);
        t.start();
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort() + "/";
    }

    /** Watches open now; each is cut with a bad frame. */
    void garbleWatches() throws IOException {
        for (Relay r : watches) {
            watches.remove(r);
            r.garble();
            garbled.incrementAndGet();
        }
    }

    /** From now on nothing reaches either side: open connections go silent, new ones are held open unanswered. */
    void blackHole() {
        blackHole = true;
    }

    int openWatches() {
        return watches.size();
    }

    int garbled() {
        return garbled.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (blackHole) {
                    heldOpen.add(client);
                    if (listener.isClosed()) {
                        client.close();
                    }
                    continue;
                }
                Socket server;
                try {
                    server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                } catch (IOException upstreamGone) {
                    client.close();   // as a load balancer in front of a dead API server does
                    continue;
                }
                Relay r = new Relay(client, server);
                all.add(r);
                if (listener.isClosed()) {
                    r.close();   // accepted while closing: close() may have gone through the list already
                    return;
                }
                r.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        all.forEach(Relay::close);
        for (Socket s : heldOpen) {
            s.close();
        }
    }

    private final class Relay {
        private final Socket client;
        private final Socket server;
        private volatile boolean garbling;
        private volatile boolean upgrading;

        Relay(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            daemon(this::upstream, "proxy-up");
            daemon(this::downstream, "proxy-down");
        }

        private void upstream() {
            byte[] buf = new byte[16384];
            boolean first = true;
            try {
                InputStream in = client.getInputStream();
                OutputStream out = server.getOutputStream();
                for (int n; (n = in.read(buf)) >= 0; ) {
                    if (first && new String(buf, 0, n, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains("upgrade: websocket")) {
                        upgrading = true;
                    }
                    first = false;
                    if (!blackHole) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
                server.shutdownOutput();
            } catch (IOException e) {
                // the downstream direction closes both
            }
        }

        /** Copies the server's bytes; once garbling, the server side is closed and the client gets the bad frame instead. */
        private void downstream() {
            byte[] buf = new byte[16384];
            try {
                // not try-with-resources: closing a socket's stream closes the socket, and the bad frame still has to go out
                InputStream in = server.getInputStream();
                OutputStream out = client.getOutputStream();
                boolean first = true;
                for (int n; (n = in.read(buf)) >= 0; ) {
                    if (blackHole) {
                        continue;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                    // a watch counts once the server switched protocols: garbling the handshake would test something else
                    if (first && upgrading && new String(buf, 0, n, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101")) {
                        watches.add(this);
                    }
                    first = false;
                }
            } catch (IOException e) {
                // closed by garble() or by either side
            }
            try {
                if (garbling) {
                    client.getOutputStream().write(BAD_FRAME);
                    client.getOutputStream().flush();
                    Thread.sleep(200);
                }
            } catch (IOException | InterruptedException e) {
                // the client went first
            }
            close();
        }

        void garble() throws IOException {
            garbling = true;
            server.close();
        }

        void close() {
            for (Socket s : List.of(client, server)) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }

        private void daemon(Runnable r, String name) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.start();
        }
    }
}
