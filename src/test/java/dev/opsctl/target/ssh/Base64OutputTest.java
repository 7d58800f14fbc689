package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.OutputListener;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64OutputTest {
    @Test
    void decodesWrappedLinesBackToTheBytes() {
        byte[] content = new byte[1000];
        new Random(7).nextBytes(content);
        Base64Output out = new Base64Output();
        for (String line : Base64.getMimeEncoder(76, "\n".getBytes()).encodeToString(content).split("\n")) {
            out.line(OutputListener.Stream.STDOUT, line);
        }
        out.line(OutputListener.Stream.STDERR, "sudo: a warning");
        assertEquals(Optional.empty(), out.problem());
        assertArrayEquals(content, out.bytes());
    }

    @Test
    void aLineThatIsNotBase64IsAProblem() {
        Base64Output out = new Base64Output();
        out.line(OutputListener.Stream.STDOUT, "aGVsbG8=");
        out.line(OutputListener.Stream.STDOUT, "base64: read error");
        assertTrue(out.problem().orElseThrow().contains("'base64: read error' is not base64"), out.problem().toString());
    }
}
