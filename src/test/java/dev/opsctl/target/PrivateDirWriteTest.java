package dev.opsctl.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsctl.target.local.LocalTarget;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
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

    /**
     * Alpine hosts have BusyBox's sh and tools: the script runs under {@code busybox sh} with a
     * directory of BusyBox applets first on PATH, through the local target as root.
     */
    @Test
    void busyBoxRunsTheScriptWithTheSameGuarantees() throws Exception {
        Path busybox = Path.of("/usr/bin/busybox");
        assumeTrue(Files.isExecutable(busybox), "busybox-static is installed by .ci/run");
        LocalTarget local = new LocalTarget("local");
        assumeTrue(local.root(), "chown needs root");
        Path bin = Files.createDirectory(dir.resolve("bin"));
        for (String tool : List.of("mv", "sync", "stat", "chown", "chmod", "cat", "rm", "rmdir", "mkdir", "id", "printf", "pwd")) {
            Files.createSymbolicLink(bin.resolve(tool), busybox);
        }
        Path dest = dir.resolve("tool");
        Path real = Files.writeString(dir.resolve("real"), "old");
        Files.createSymbolicLink(dest, real);

        busyBox(local, bin, PrivateDirWrite.script(dest.toString(), "b0x1", new FileAttrs(Optional.of(06755), Optional.of("root"),
                Optional.of("0"), Sudo.NONE), 4, Optional.empty()), "new\n");
        assertFalse(Files.isSymbolicLink(dest), "the link is replaced");
        assertEquals("old", Files.readString(real));
        assertEquals("new\n", Files.readString(dest));
        assertEquals("6755 0:0", attrs(dest));

        busyBox(local, bin, PrivateDirWrite.script(dest.toString(), "b0x2", new FileAttrs(Optional.empty(), Optional.empty(),
                Optional.of("65534"), Sudo.NONE), 6, Optional.empty()), "newer\n");
        assertEquals("4755 0:65534", attrs(dest), "kept mode, setgid dropped with the group");

        Files.createDirectory(dir.resolve(PrivateDirWrite.dirName(dest.toString(), "b0x3")), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        busyBox(local, bin, PrivateDirWrite.cleanup(dest.toString(), "b0x3", Optional.empty()), "");
        assertEquals(List.of("bin", "real", "tool"), names());
    }

    private static void busyBox(LocalTarget local, Path bin, String script, String stdin) throws Exception {
        ExecResult r = local.exec(ExecRequest.of("PATH=" + bin + ":$PATH exec busybox sh -c \"$S\"")
                .withEnv(Map.of("S", script)).withStdin(stdin.getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, r.exitCode(), r.stderr());
    }

    private static String attrs(Path p) throws Exception {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        return Integer.toOctalString((Integer) a.get("mode") & 07777) + " " + a.get("uid") + ":" + a.get("gid");
    }
}
