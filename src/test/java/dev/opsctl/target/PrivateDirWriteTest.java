package dev.opsctl.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write script under /bin/sh (dash on Debian), as a target runs it. */
class PrivateDirWriteTest {
    @TempDir
    Path dir;

    private Process start(Path dest, long size) throws Exception {
        String script = PrivateDirWrite.script(dest.toString(), "t35t", FileAttrs.mode(0600), size, Optional.empty());
        return new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
    }

    private List<String> names() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTheFileAndLeavesNothingElse() throws Exception {
        Path dest = dir.resolve("app.conf");
        Process p = start(dest, 4);
        try (OutputStream in = p.getOutputStream()) {
            in.write("a=1\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("a=1\n", Files.readString(dest));
        assertEquals(List.of("app.conf"), names());
    }

    @Test
    void inputCutShortFailsAndLeavesTheOldFile() throws Exception {
        Path dest = Files.writeString(dir.resolve("app.conf"), "old");
        Process p = start(dest, 100);
        try (OutputStream in = p.getOutputStream()) {
            in.write("partial".getBytes(StandardCharsets.UTF_8));
        }
        assertNotEquals(0, p.waitFor());
        assertTrue(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("received 7 of 100 bytes"));
        assertEquals("old", Files.readString(dest));
        assertEquals(List.of("app.conf"), names());
    }

    @Test
    void termWhileReadingTheContentRemovesThePrivateDirectory() throws Exception {
        Path dest = dir.resolve("app.conf");
        Process p = start(dest, 100);
        p.getOutputStream().write("some".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        Path content = dir.resolve(".app.conf.opsctl-t35t/f");
        for (int i = 0; i < 100 && !(Files.exists(content) && Files.size(content) > 0); i++) {
            Thread.sleep(20);
        }
        assertEquals(4, Files.size(content), "the script is reading its input");
        // as a timeout or an interrupt does: TERM to the script and to the cat it waits for
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        p.getOutputStream().close();
        assertEquals(List.of(), names());
    }
}
