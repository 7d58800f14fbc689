package dev.opsctl.target.ssh;

import dev.opsctl.source.Durations;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.common.Buffer;

/**
 * A minimal ssh-agent client (draft-miller-ssh-agent): list identities and sign. One short
 * connection per call, so instances are thread-safe. The socket is read and written with
 * ByteBuffers only (Channels' stream wrappers share a lock and deadlock on one socket). A call the
 * agent does not answer within {@link #TIMEOUT} fails.
 */
final class AgentClient {
    static final byte FAILURE = 5;
    static final byte REQUEST_IDENTITIES = 11;
    static final byte IDENTITIES_ANSWER = 12;
    static final byte SIGN_REQUEST = 13;
    static final byte SIGN_RESPONSE = 14;
    static final int RSA_SHA2_256 = 2;
    static final int RSA_SHA2_512 = 4;
    private static final int MAX_MESSAGE = 256 * 1024;

    /** A key the agent holds: its public blob, its type name and the comment (usually the file). */
    record Identity(byte[] blob, String type, String comment) {}

    /**
     * How long an agent may take to answer: longer than its user takes to confirm a key added with
     * {@code ssh-add -c}, short enough that an agent that hangs fails the host instead of the run
     * (the step's timeout does not cover connecting).
     */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path socket;
    private final Duration timeout;

    AgentClient(Path socket) {
        this(socket, TIMEOUT);
    }

    AgentClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    Path socket() {
        return socket;
    }

    List<Identity> identities() throws IOException {
        Buffer.PlainBuffer reply = call(new Buffer.PlainBuffer().putByte(REQUEST_IDENTITIES));
        expect(reply, IDENTITIES_ANSWER, "list keys");
        try {
            long n = reply.readUInt32();
            List<Identity> out = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                byte[] blob = reply.readBytes();
                String comment = reply.readString(StandardCharsets.UTF_8);
                out.add(new Identity(blob, new Buffer.PlainBuffer(blob).readString(), comment));
            }
            return out;
        } catch (Buffer.BufferException e) {
            throw new IOException("malformed answer from the ssh-agent at '" + socket + "'", e);
        }
    }

    /** The signature of {@code data} in SSH wire form (string algorithm, string signature). */
    byte[] sign(byte[] blob, byte[] data, int flags) throws IOException {
        Buffer.PlainBuffer req = new Buffer.PlainBuffer().putByte(SIGN_REQUEST).putBytes(blob).putBytes(data).putUInt32(flags);
        Buffer.PlainBuffer reply = call(req);
        expect(reply, SIGN_RESPONSE, "sign");
        try {
            return reply.readBytes();
        } catch (Buffer.BufferException e) {
            throw new IOException("malformed signature from the ssh-agent at '" + socket + "'", e);
        }
    }

    private Buffer.PlainBuffer call(Buffer.PlainBuffer request) throws IOException {
        byte[] body = request.getCompactData();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket)); Selector selector = Selector.open()) {
            // non-blocking, as a Unix socket channel has no read timeout of its own
            ch.configureBlocking(false);
            SelectionKey key = ch.register(selector, 0);
            ByteBuffer out = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
            while (out.hasRemaining()) {
                if (ch.write(out) == 0) {
                    await(key, SelectionKey.OP_WRITE, deadline);
                }
            }
            ByteBuffer len = readFully(key, 4, deadline);
            int n = len.getInt();
            if (n <= 0 || n > MAX_MESSAGE) {
                throw new IOException("the ssh-agent at '" + socket + "' sent a message of " + n + " bytes");
            }
            ByteBuffer msg = readFully(key, n, deadline);
            return new Buffer.PlainBuffer(msg.array());
        }
    }

    private ByteBuffer readFully(SelectionKey key, int n, long deadline) throws IOException {
        SocketChannel ch = (SocketChannel) key.channel();
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            int read = ch.read(b);
            if (read < 0) {
                throw new IOException("the ssh-agent at '" + socket + "' closed the connection");
            }
            if (read == 0) {
                await(key, SelectionKey.OP_READ, deadline);
            }
        }
        return b.flip();
    }

    /** Returns once the channel may be ready for {@code op}; fails once {@code deadline} has passed. */
    private void await(SelectionKey key, int op, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("the ssh-agent at '" + socket + "' did not answer within " + Durations.format(timeout));
        }
        key.interestOps(op);
        key.selector().select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        key.selector().selectedKeys().clear();
    }

    /** The agent answered SSH_AGENT_FAILURE: it would not, as when its user did not confirm a key added with {@code ssh-add -c}. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private void expect(Buffer.PlainBuffer reply, byte type, String what) throws IOException {
        try {
            byte got = reply.readByte();
            if (got == FAILURE) {
                throw new Refused("the ssh-agent at '" + socket + "' refused to " + what);
            }
            if (got != type) {
                throw new IOException("the ssh-agent at '" + socket + "' refused to " + what + " (reply type " + got + ")");
            }
        } catch (Buffer.BufferException e) {
            throw new IOException("empty answer from the ssh-agent at '" + socket + "'", e);
        }
    }
}
