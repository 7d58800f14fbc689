package dev.opsctl.source;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HostBytesTest {
    private static final Random RANDOM = new Random(20261124);

    @Test
    void bytesThatAreNotUtf8BecomeOneEscapeEachAndComeBackAsThemselves() {
        byte[] host = HexFormat.of().parseHex("61ff" + "c3" + "62" + "eda080" + "f09f9a80" + "e282" + "c0af" + "80");
        String text = HostBytes.decode(host);
        assertEquals("a\uDCFF\uDCC3b\uDCED\uDCA0\uDC80\uD83D\uDE80\uDCE2\uDC82\uDCC0\uDCAF\uDC80", text,
                "a stray byte, a cut lead byte, an encoded surrogate, an emoji, a cut 3-byte char, an overlong '/', a lone continuation");
        assertArrayEquals(host, HostBytes.encode(text));
        assertEquals("a\uFFFD\uFFFDb\uFFFD\uFFFD\uFFFD\uD83D\uDE80\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD", HostBytes.replaced(text));
    }

    @Test
    void textThatIsUtf8IsDecodedAsUtf8AndLeftAlone() {
        String s = "Job for docker.service failed (ジョブ失敗) 🚀 \uD800\uDC80 ü\n";
        byte[] utf8 = s.getBytes(UTF_8);
        assertEquals(s, HostBytes.decode(utf8), "U+10080 is a pair whose low half is in the escape range: not an escape");
        assertArrayEquals(utf8, HostBytes.encode(s));
        assertSame(s, HostBytes.replaced(s));
    }

    @Test
    void anyBytesCutAnywhereComeBackWhole() throws Exception {
        for (int round = 0; round < 2_000; round++) {
            byte[] host = randomHostOutput();
            int cut = host.length == 0 ? 0 : RANDOM.nextInt(host.length + 1);
            String first = HostBytes.decode(host, 0, cut);
            String second = HostBytes.decode(host, cut, host.length - cut);
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            try (PrintWriter out = new PrintWriter(new OutputStreamWriter(printed, BytesKeptUtf8.INSTANCE))) {
                writeInPieces(out, first);
                writeInPieces(out, second);
            }
            assertArrayEquals(host, printed.toByteArray(), "round " + round + ": " + HexFormat.of().formatHex(host) + " cut at " + cut);
            assertArrayEquals(host, HostBytes.encode(first + second));
            String replaced = HostBytes.replaced(first + second);
            assertFalse(IntStream.range(0, replaced.length()).anyMatch(i -> HostBytes.escapedByte(replaced, i) >= 0), "no escapes left");
        }
    }

    @Test
    void theWritersCharsetIsUtf8ForTextWithoutEscapesAndReplacesOtherLoneSurrogates() {
        String s = "plain ü 🚀 ジョブ";
        assertArrayEquals(s.getBytes(UTF_8), s.getBytes(BytesKeptUtf8.INSTANCE));
        assertArrayEquals("a?b?".getBytes(UTF_8), "a\uD800b\uDC00".getBytes(BytesKeptUtf8.INSTANCE),
                "a lone surrogate that is not an escape is what UTF-8 makes of it");
    }

    /** Mostly text, with stray bytes, cut characters and long valid stretches mixed in. */
    private static byte[] randomHostOutput() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int parts = RANDOM.nextInt(12);
        for (int i = 0; i < parts; i++) {
            switch (RANDOM.nextInt(5)) {
                case 0 -> b.writeBytes("line ü ジ 🚀\n".getBytes(UTF_8));
                case 1 -> b.write(0x80 + RANDOM.nextInt(0x80));
                case 2 -> {
                    byte[] emoji = "🚀".getBytes(UTF_8);
                    b.write(emoji, 0, 1 + RANDOM.nextInt(3));
                }
                case 3 -> b.writeBytes(new byte[] {(byte) 0xed, (byte) (0xa0 + RANDOM.nextInt(0x20)), (byte) 0x80});
                default -> {
                    byte[] any = new byte[RANDOM.nextInt(20)];
                    RANDOM.nextBytes(any);
                    b.writeBytes(any);
                }
            }
        }
        return b.toByteArray();
    }

    /** Written in pieces cut at any char, a surrogate pair's halves included, as a writer may be given them. */
    private static void writeInPieces(PrintWriter out, String s) {
        int at = 0;
        while (at < s.length()) {
            int n = 1 + RANDOM.nextInt(Math.min(7, s.length() - at));
            out.write(s, at, n);
            if (RANDOM.nextInt(3) == 0) {
                out.flush();
            }
            at += n;
        }
    }
}
