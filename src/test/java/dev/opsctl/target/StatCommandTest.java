package dev.opsctl.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsctl.target.local.LocalTarget;
import dev.opsctl.template.ShellQuote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell stat (sudo, SSH) and the local NIO one must give the same answer. */
class StatCommandTest {
    @TempDir
    Path dir;

    private final LocalTarget local = new LocalTarget("web-1");

    private Optional<FileInfo> viaShell(Path p) throws Exception {
        return StatCommand.parse(local.exec(ExecRequest.of(StatCommand.script(ShellQuote.quote(p.toString())))).stdout());
    }

    @Test
    void agreesWithTheLocalTargetForFilesDirectoriesLinksAndMissingPaths() throws Exception {
        Path file = Files.writeString(dir.resolve("a file"), "content");
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        for (Path p : new Path[] {file, dir, link, dir.resolve("missing")}) {
            assertEquals(local.stat(p.toString(), false), viaShell(p), p.toString());
        }
    }

    @Test
    void anIdWithoutANameIsNamedByItsNumberAsJavaDoes() throws Exception {
        assumeTrue(local.root(), "needs root to give a file away");
        Path file = Files.writeString(dir.resolve("orphan"), "x");
        assertEquals(0, local.exec(ExecRequest.of("chown 54321:54322 " + file)).exitCode());
        assertEquals(local.stat(file.toString(), false), viaShell(file));
        assertEquals(new PosixId(54321, "54321"), viaShell(file).orElseThrow().owner());
    }

    @Test
    void busyBoxsStatGivesTheSameAnswerAsAlpineHostsWould() throws Exception {
        Path busybox = Path.of("/usr/bin/busybox");
        assumeTrue(Files.isExecutable(busybox), "busybox-static is installed by .ci/run");
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("stat"), busybox);
        Path file = Files.writeString(dir.resolve("a file"), "content");
        String script = "PATH=" + bin + ":$PATH; " + StatCommand.script(ShellQuote.quote(file.toString()));
        var r = local.exec(ExecRequest.of(script));
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(local.stat(file.toString(), false), StatCommand.parse(r.stdout()));
    }

    @Test
    void namesWithSpacesFromADirectoryServiceAreRead() {
        FileInfo f = StatCommand.parse("12\n640\n0\n1000\nroot\ndomain users\nregular file\n").orElseThrow();
        assertEquals(new PosixId(1000, "domain users"), f.group());
        assertEquals(0640, f.mode());
    }

    @Test
    void unexpectedOutputIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> StatCommand.parse("stat: cannot stat"));
    }

    @Test
    void aRequestedOwnerMatchesByNameOrByNumber() {
        PosixId root = new PosixId(0, "root");
        assertEquals(true, root.is("root") && root.is("0") && root.is("00"));
        assertEquals(false, root.is("daemon") || root.is("1") || root.is("-0") || root.is("99999999999"));
    }
}
