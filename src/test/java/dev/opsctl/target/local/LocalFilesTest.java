package dev.opsctl.target.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.Sudo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NIO write a user other than root gets. The contract tests run as root, which writes through
 * the shell recipe instead, so this calls it directly.
 */
class LocalFilesTest {
    @TempDir
    Path dir;

    private static int mode(Path p) throws Exception {
        return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
    }

    @Test
    void aSymlinkAtTheDestinationIsReplacedAndItsTargetLeftAlone() throws Exception {
        Path real = Files.writeString(dir.resolve("real.conf"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.conf"), real);
        LocalFiles.put(link, "new".getBytes(StandardCharsets.UTF_8), FileAttrs.DEFAULT);
        assertFalse(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(link));
        assertEquals("old", Files.readString(real));
    }

    @Test
    void aDanglingSymlinkGivesMode0644() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        LocalFiles.put(link, "x".getBytes(StandardCharsets.UTF_8), FileAttrs.DEFAULT);
        assertEquals(0644, mode(link), Integer.toOctalString(mode(link)));
        assertFalse(Files.exists(dir.resolve("nowhere")));
    }

    @Test
    void setIdBitsAreSetAndKept() throws Exception {
        Path p = dir.resolve("tool");
        LocalFiles.put(p, "a".getBytes(StandardCharsets.UTF_8), FileAttrs.mode(04755));
        assertEquals(04755, mode(p), Integer.toOctalString(mode(p)));
        LocalFiles.put(p, "b".getBytes(StandardCharsets.UTF_8), FileAttrs.DEFAULT);
        assertEquals(04755, mode(p), Integer.toOctalString(mode(p)));
    }

    @Test
    void aSetIdBitIsKeptOnlyWhileItsIdStays() throws Exception {
        Path p = dir.resolve("tool");
        byte[] a = "a".getBytes(StandardCharsets.UTF_8);
        FileAttrs setId = new FileAttrs(Optional.of(06755), Optional.of("root"), Optional.of("root"), Sudo.NONE);
        LocalFiles.put(p, a, setId);
        LocalFiles.put(p, a, new FileAttrs(Optional.empty(), Optional.empty(), Optional.of("nogroup"), Sudo.NONE));
        assertEquals(04755, mode(p), "a new group drops setgid: " + Integer.toOctalString(mode(p)));
        LocalFiles.put(p, a, setId);
        LocalFiles.put(p, a, new FileAttrs(Optional.empty(), Optional.of("nobody"), Optional.empty(), Sudo.NONE));
        assertEquals(02755, mode(p), "a new owner drops setuid: " + Integer.toOctalString(mode(p)));
    }
}
