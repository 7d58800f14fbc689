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
        out.line(OutputListener.Stream.STDOUT, "#opsctl-begin");
        for (String line : Base64.getMimeEncoder(76, "\n".getBytes()).encodeToString(content).split("\n")) {
            out.line(OutputListener.Stream.STDOUT, line);
        }
        out.line(OutputListener.Stream.STDERR, "sudo: a warning");
        out.line(OutputListener.Stream.STDOUT, "#opsctl-end 1000");
        assertEquals(Optional.empty(), out.problem());
        assertArrayEquals(content, out.bytes());
    }

    @Test
    void whatALoginShellPrintsBeforeTheContentIsNotContent() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.write(java.nio.file.Files.createTempFile("b64", ""), "hello".getBytes());
        Base64Output out = new Base64Output();
        // a ~/.bashrc that greets: 'ok' and 'Welcome' are valid base64
        String script = "echo ok; echo Welcome; " + Base64Output.command(dev.opsctl.template.ShellQuote.quote(file.toString()));
        Process p = new ProcessBuilder("/bin/sh", "-c", script).start();
        for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
            out.line(OutputListener.Stream.STDOUT, line);
        }
        assertEquals(0, p.waitFor());
        assertEquals(Optional.empty(), out.problem());
        assertEquals("hello", new String(out.bytes()));
        java.nio.file.Files.delete(file);
    }

    @Test
    void outputThatEndsBeforeTheEndLineOrDisagreesWithTheSizeIsAProblem() {
        Base64Output cut = new Base64Output();
        cut.line(OutputListener.Stream.STDOUT, "#opsctl-begin");
        cut.line(OutputListener.Stream.STDOUT, "aGVsbG8=");
        assertEquals(Optional.of("the output ended before the whole file was read"), cut.problem());
        Base64Output changed = new Base64Output();
        changed.line(OutputListener.Stream.STDOUT, "#opsctl-begin");
        changed.line(OutputListener.Stream.STDOUT, "aGVsbG8=");
        changed.line(OutputListener.Stream.STDOUT, "#opsctl-end 6");
        assertTrue(changed.problem().orElseThrow().startsWith("read 5 bytes of 6"), changed.problem().toString());
    }

    @Test
    void aLineThatIsNotBase64IsAProblem() {
        Base64Output out = new Base64Output();
        out.line(OutputListener.Stream.STDOUT, "#opsctl-begin");
        out.line(OutputListener.Stream.STDOUT, "aGVsbG8=");
        out.line(OutputListener.Stream.STDOUT, "base64: read error");
        assertTrue(out.problem().orElseThrow().contains("'base64: read error' is not base64"), out.problem().toString());
    }
}
