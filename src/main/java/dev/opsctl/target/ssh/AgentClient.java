package dev.opsctl.target.ssh;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.common.Buffer;

/**
 * A minimal ssh-agent client (draft-miller-ssh-agent): list identities and sign. One short
 * connection per call, so instances are thread-safe. The socket is read and written with
 * ByteBuffers only (Channels' stream wrappers share a lock and deadlock on one socket).
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

    private final Path socket;

    AgentClient(Path socket) {
        this.socket = socket;
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
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer out = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteBuffer len = readFully(ch, 4);
            int n = len.getInt();
            if (n <= 0 || n > MAX_MESSAGE) {
                throw new IOException("the ssh-agent at '" + socket + "' sent a message of " + n + " bytes");
            }
            ByteBuffer msg = readFully(ch, n);
            return new Buffer.PlainBuffer(msg.array());
        }
    }

    private ByteBuffer readFully(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("the ssh-agent at '" + socket + "' closed the connection");
            }
        }
        return b.flip();
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
