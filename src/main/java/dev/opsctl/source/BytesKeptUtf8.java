package dev.opsctl.source;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 that writes each {@link HostBytes} escape as the byte it stands for. opsctl's writers to
 * stdout and stderr use it, so that a host's output printed as data reaches the terminal or pipe as
 * the host wrote it, bytes that are not UTF-8 included, while text that has no escapes (everything
 * else opsctl prints) is encoded exactly as by UTF-8. Decoding is plain UTF-8.
 */
public final class BytesKeptUtf8 extends Charset {
    public static final Charset INSTANCE = new BytesKeptUtf8();

    private BytesKeptUtf8() {
        super("X-opsctl-UTF-8-bytes-kept", new String[0]);
    }

    @Override
    public boolean contains(Charset cs) {
        return cs == this || StandardCharsets.UTF_8.contains(cs);
    }

    @Override
    public CharsetDecoder newDecoder() {
        return StandardCharsets.UTF_8.newDecoder();
    }

    @Override
    public CharsetEncoder newEncoder() {
        return new Encoder(this);
    }

    private static final class Encoder extends CharsetEncoder {
        private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);

        Encoder(Charset cs) {
            super(cs, 1.1f, 3.0f);
        }

        @Override
        protected CoderResult encodeLoop(CharBuffer in, ByteBuffer out) {
            while (in.hasRemaining()) {
                int escaped = HostBytes.escapedByte(in, 0);
                if (escaped >= 0) {
                    // a low surrogate here is never the second half of a pair: UTF-8 takes a pair whole
                    if (!out.hasRemaining()) {
                        return CoderResult.OVERFLOW;
                    }
                    out.put((byte) escaped);
                    in.get();
                    continue;
                }
                CharBuffer run = in.slice();
                run.limit(untilEscape(in));
                CoderResult r = utf8.encode(run, out, false);
                in.position(in.position() + run.position());
                if (r.isError() || r.isOverflow() || run.hasRemaining()) {
                    // an error, a full buffer, or a high surrogate that waits for its pair in the next input
                    return r;
                }
            }
            return CoderResult.UNDERFLOW;
        }

        /** The length of the run from the buffer's position to the next escape (or the end). */
        private static int untilEscape(CharBuffer in) {
            for (int i = 1; i < in.remaining(); i++) {
                if (HostBytes.escapedByte(in, i) >= 0) {
                    return i;
                }
            }
            return in.remaining();
        }

        @Override
        protected void implReset() {
            utf8.reset();
        }
    }
}
