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

    /** Runs the script writing {@code content} to {@code dest}, as root or, with {@code asNobody}, as nobody; its exit and output. */
    private static Result write(Path dest, FileAttrs attrs, String content, boolean asNobody, String... env) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String script = PrivateDirWrite.script(dest.toString(), "t35t", attrs, bytes.length, Optional.empty());
        List<String> command = asNobody
                ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh", "-c", script)
                : List.of("/bin/sh", "-c", script);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        for (int i = 0; i + 1 < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(bytes);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    private record Result(int code, String output) {}

    private static void chown(Path p, int uid) throws Exception {
        Files.setAttribute(p, "unix:uid", uid);
        Files.setAttribute(p, "unix:gid", uid);
    }

    @Test
    void aSymlinkInADirectoryAnotherUserOwnsIsNotFollowedByRoot() throws Exception {
        assumeRootWithAnOpenDir();
        Path home = Files.createDirectory(dir.resolve("home"));
        chown(home, 65534);
        Path rootOnly = privateDir(dir.resolve("rootonly"));
        Path keys = Files.writeString(rootOnly.resolve("authorized_keys"), "root's keys\n");
        // what the home's owner can do to the .ssh directory root is about to write into
        Files.createSymbolicLink(home.resolve(".ssh"), rootOnly);
        Result r = write(home.resolve(".ssh/authorized_keys"), FileAttrs.DEFAULT, "nobody's key\n", false);
        assertNotEquals(0, r.code());
        assertTrue(r.output().contains("/home/.ssh' is a symbolic link in a directory others can write; nothing written"), r.output());
        assertEquals("root's keys\n", Files.readString(keys));
        assertEquals(List.of("authorized_keys"), names(rootOnly));
    }

    @Test
    void aSymlinkToASiblingInADirectoryOthersWriteIsRefusedToo() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path secrets = privateDir(shared.resolve("secrets"));
        Files.createSymbolicLink(shared.resolve("app"), secrets);
        Result r = write(shared.resolve("app/x"), FileAttrs.DEFAULT, "x", false);
        assertNotEquals(0, r.code());
        assertTrue(r.output().contains("/shared/app' is a symbolic link in a directory others can write"), r.output());
        assertEquals(List.of(), names(secrets));
    }

    @Test
    void everyLinkOnTheWayIsWalkedNotJustTheFirst() throws Exception {
        assumeRootWithAnOpenDir();
        // a Capistrano layout: /srv/app (root's link) -> /home/deploy/app/current (deploy's link) -> a release
        Path deploy = Files.createDirectories(dir.resolve("home/deploy/app"));
        chown(deploy, 65534);
        Path rootOnly = privateDir(dir.resolve("rootonly"));
        Files.createSymbolicLink(deploy.resolve("current"), rootOnly);
        Path srv = Files.createDirectory(dir.resolve("srv"));
        Files.createSymbolicLink(srv.resolve("app"), deploy.resolve("current"));
        Result r = write(srv.resolve("app/config.yml"), FileAttrs.DEFAULT, "x", false);
        assertNotEquals(0, r.code());
        assertTrue(r.output().contains("/home/deploy/app/current' is a symbolic link in a directory others can write"), r.output());
        assertEquals(List.of(), names(rootOnly));
    }

    @Test
    void aRelativeDestinationIsWalkedFromTheStartingDirectoryAndADirectoryNamedDashIsEntered() throws Exception {
        Files.createDirectories(dir.resolve("-"));
        String script = PrivateDirWrite.script("-/app.conf", "t35t", FileAttrs.mode(0600), 3, Optional.empty());
        Process p = new ProcessBuilder("/bin/sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write("a=1".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("a=1", Files.readString(dir.resolve("-/app.conf")));
    }

    @Test
    void aSymlinkInADirectoryOnlyRootWritesIsFollowed() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Files.createSymbolicLink(dir.resolve("conf"), real);
        Result r = write(dir.resolve("conf/app.conf"), FileAttrs.DEFAULT, "a=1\n", false);
        assertEquals(0, r.code(), r.output());
        assertEquals("a=1\n", Files.readString(real.resolve("app.conf")));
    }

    @Test
    void aSetGroupIdDirectoryIsWrittenInAndLeftClean() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        assertEquals(0, new ProcessBuilder("chmod", "2775", shared.toString()).start().waitFor());
        Result r = write(shared.resolve("app.conf"), FileAttrs.mode(0640), "a=1\n", false);
        assertEquals(0, r.code(), r.output());
        assertEquals(List.of("app.conf"), names(shared));
    }

    @Test
    void aReplacedFilesOwnerAndModeAreKeptWhateverTheHostsLanguage() throws Exception {
        assumeTrue(new LocalTarget("local").root(), "needs root");
        Path dest = Files.writeString(dir.resolve("secret"), "old");
        Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rw-------"));
        chown(dest, 65534);
        // GNU stat translates its file kinds ('reguläre Datei'); SSH sessions and sudo carry LANG
        Result r = write(dest, FileAttrs.DEFAULT, "new", false, "LANGUAGE", "de", "LC_ALL", "C.UTF-8", "LANG", "de_DE.UTF-8");
        assertEquals(0, r.code(), r.output());
        assertEquals("new", Files.readString(dest));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)));
        assertEquals(65534, Files.getAttribute(dest, "unix:uid"));
    }

    @Test
    void aReadOnlyModeDoesNotStopAWriterThatIsNotRoot() throws Exception {
        assumeRootWithAnOpenDir();
        Path own = Files.createDirectory(dir.resolve("nobodys"));
        chown(own, 65534);
        Result r = write(own.resolve("token"), FileAttrs.mode(0400), "s3cret", true);
        assertEquals(0, r.code(), r.output());
        assertEquals("s3cret", Files.readString(own.resolve("token")));
        assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(own.resolve("token"))));
    }

    private List<String> names() throws Exception {
        return names(dir);
    }

    private static List<String> names(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Root, and the test's directory open to other users, as a home's parent is. */
    private void assumeRootWithAnOpenDir() throws Exception {
        assumeTrue(new LocalTarget("local").root(), "needs root");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Path privateDir(Path p) throws Exception {
        return Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
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
