package dev.opsctl.cli.keeper;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What client and keeper say to each other. The client sends one request; the keeper answers
 * {@link #ACCEPTED} once it has read it (before that, nothing has run and the client may go
 * elsewhere), then frames of stdout and stderr bytes, then the exit code. Frames are a kind byte,
 * a length and the bytes.
 */
public final class KeeperWire {
    static final int MAGIC = 0x6f707331; // "ops1"
    public static final byte ACCEPTED = 'a';
    public static final byte OUT = 'o';
    public static final byte ERR = 'e';
    public static final byte EXIT = 'x';
    private static final int MAX_STRING = 1 << 20;
    private static final int MAX_ITEMS = 1 << 14;

    private KeeperWire() {}

    /** One command line to run: its words, the client's environment and working directory, and how long to keep connections after it. */
    public record Request(List<String> args, Map<String, String> env, Path workingDir, Duration keep) {
        public Request {
            args = List.copyOf(args);
            env = Map.copyOf(env);
        }
    }

    public static void write(DataOutputStream out, Request r) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(r.args().size());
        for (String a : r.args()) {
            string(out, a);
        }
        out.writeInt(r.env().size());
        for (Map.Entry<String, String> e : r.env().entrySet()) {
            string(out, e.getKey());
            string(out, e.getValue());
        }
        string(out, r.workingDir().toString());
        out.writeLong(r.keep().toMillis());
        out.flush();
    }

    public static Request read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not an opsctl keeper request");
        }
        int argc = count(in);
        List<String> args = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            args.add(string(in));
        }
        int envc = count(in);
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < envc; i++) {
            env.put(string(in), string(in));
        }
        Path cwd = Path.of(string(in));
        if (!cwd.isAbsolute()) {
            throw new IOException("the working directory must be absolute, not '" + cwd + "'");
        }
        long keepMillis = in.readLong();
        if (keepMillis < 0) {
            throw new IOException("negative keep time");
        }
        return new Request(args, env, cwd, Duration.ofMillis(keepMillis));
    }

    /** A frame of one kind: {@link #OUT} or {@link #ERR} with output bytes, {@link #EXIT} with the code, {@link #ACCEPTED} empty. */
    public static byte[] frame(byte kind, byte[] b, int off, int len) {
        ByteBuffer f = ByteBuffer.allocate(5 + len);
        f.put(kind).putInt(len).put(b, off, len);
        return f.array();
    }

    public static byte[] exitFrame(int code) {
        return frame(EXIT, ByteBuffer.allocate(4).putInt(code).array(), 0, 4);
    }

    /** Reads one frame's kind and payload; EOF before a whole frame is an {@link EOFException}. */
    public static Frame readFrame(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        int len = in.readInt();
        if (len < 0 || len > MAX_STRING) {
            throw new IOException("bad frame length " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new Frame(kind, b);
    }

    public record Frame(byte kind, byte[] payload) {
        public int exitCode() {
            return ByteBuffer.wrap(payload).getInt();
        }
    }

    /**
     * Streams over a blocking channel that use its own read and write (a thread blocked reading
     * does not hold up one writing, as the {@code Channels} adapters' shared lock would).
     */
    public static InputStream input(SocketChannel c) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : c.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    public static OutputStream output(SocketChannel c) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    c.write(buf);
                }
            }
        };
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ITEMS) {
            throw new IOException("bad count " + n);
        }
        return n;
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String string(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > MAX_STRING) {
            throw new IOException("bad string length " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, UTF_8);
    }
}
