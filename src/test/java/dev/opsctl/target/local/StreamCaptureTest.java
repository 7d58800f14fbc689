package dev.opsctl.target.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.OutputListener;
import dev.opsctl.target.OutputText;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class StreamCaptureTest {
    private static final String MARK = "[opsctl-start:0123abcd]";

    /** A stream that hands out one byte per read: the mark arrives in pieces. */
    private static InputStream trickle(String s) {
        ByteArrayInputStream in = new ByteArrayInputStream(s.getBytes(UTF_8));
        return new InputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, Math.min(1, len));
            }
        };
    }

    private static StreamCapture drained(InputStream in, List<String> lines) {
        StreamCapture c = new StreamCapture(in, OutputListener.Stream.STDERR, (s, l) -> lines.add(l), 1 << 20, OutputText.REPLACED,
                Optional.of(MARK));
        c.run();
        return c;
    }

    @Test
    void theStartMarkIsTakenOutOnceWhereverTheReadsCutIt() {
        for (boolean oneByteReads : List.of(false, true)) {
            String stream = "[sudo] lecture\n[opsc" + MARK + "warning\n" + MARK + "\n";
            List<String> lines = new CopyOnWriteArrayList<>();
            StreamCapture c = drained(oneByteReads ? trickle(stream) : new ByteArrayInputStream(stream.getBytes(UTF_8)), lines);
            assertTrue(c.sawStartMark());
            assertEquals("[sudo] lecture\n[opscwarning\n" + MARK + "\n", c.text(), "only the first mark is ours");
            assertEquals(List.of("[sudo] lecture", "[opscwarning", MARK), lines);
        }
    }

    @Test
    void withoutTheMarkEveryByteIsKeptAndTheStartIsNotSeen() {
        List<String> lines = new CopyOnWriteArrayList<>();
        StreamCapture c = drained(trickle("sudo: a password is required\n[opsctl-start:0123"), lines);
        assertFalse(c.sawStartMark());
        assertEquals("sudo: a password is required\n[opsctl-start:0123", c.text());
        assertEquals(List.of("sudo: a password is required", "[opsctl-start:0123"), lines);
    }
}
