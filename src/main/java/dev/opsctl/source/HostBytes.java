package dev.opsctl.source;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes a host wrote, held as Java text without losing the ones that are not UTF-8: each such byte
 * becomes a lone low surrogate U+DC80..U+DCFF (Python's {@code surrogateescape}), which no decoded
 * UTF-8 ever contains, so {@link #encode} gives back exactly the bytes {@link #decode} was given,
 * wherever they were cut. Such text is for printing as data; anything that must be well-formed
 * (JSON) takes {@link #replaced}.
 */
public final class HostBytes {
    private static final char FIRST = '\uDC80';
    private static final char LAST = '\uDCFF';

    private HostBytes() {}

    /** {@code len} bytes from {@code off} as text, bytes that are not UTF-8 escaped one by one. */
    public static String decode(byte[] bytes, int off, int len) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, off, len);
        CharBuffer out = CharBuffer.allocate(len);
        while (true) {
            CoderResult r = utf8.decode(in, out, true);
            if (r.isUnderflow()) {
                utf8.flush(out);
                return out.flip().toString();
            }
            // one char per malformed byte fits: UTF-8 never decodes to more chars than it has bytes
            for (int i = 0; i < r.length(); i++) {
                out.put((char) (FIRST - 0x80 + (in.get() & 0xff)));
            }
        }
    }

    public static String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /** The bytes {@code text} was decoded from: UTF-8, with each escaped byte written as itself. */
    public static byte[] encode(String text) {
        if (!hasEscapes(text)) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length() + 16);
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            if (escapeAt(text, i)) {
                out.writeBytes(text.substring(from, i).getBytes(StandardCharsets.UTF_8));
                out.write(text.charAt(i) - FIRST + 0x80);
                from = i + 1;
            }
        }
        out.writeBytes(text.substring(from).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** {@code text} with each escaped byte as U+FFFD, as a plain UTF-8 decoder would have given it. */
    public static String replaced(String text) {
        if (!hasEscapes(text)) {
            return text;
        }
        StringBuilder b = new StringBuilder(text);
        for (int i = 0; i < b.length(); i++) {
            if (escapeAt(text, i)) {
                b.setCharAt(i, '\uFFFD');
            }
        }
        return b.toString();
    }

    /** The byte escaped at {@code i}, or -1 when the char there is not an escape. */
    public static int escapedByte(CharSequence text, int i) {
        return escapeAt(text, i) ? text.charAt(i) - FIRST + 0x80 : -1;
    }

    private static boolean hasEscapes(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (escapeAt(text, i)) {
                return true;
            }
        }
        return false;
    }

    /** A low surrogate in the escape range that is not the second half of a pair. */
    private static boolean escapeAt(CharSequence text, int i) {
        char c = text.charAt(i);
        return c >= FIRST && c <= LAST && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    }
}
