package dev.opsctl.action.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyActionTypeTest {
    @TempDir
    Path runbookDir;

    @TempDir
    Path host;

    private final CopyActionType type = new CopyActionType();
    private FakeStepContext ctx;
    private ParseFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(runbookDir.resolve("files"));
        Files.writeString(runbookDir.resolve("files/daemon.json"), "{\"userns-remap\": \"default\"}\n");
        ctx = new FakeStepContext(new LocalTarget("web-1"), host);
        fx = new ParseFixture(runbookDir);
    }

    private String dest() {
        return host.resolve("daemon.json").toString();
    }

    @Test
    void writesTheFileWithItsModeAndReportsTheChecksum() throws Exception {
        StepResult r = type.execute(fx.parseClean(type, "copy: {src: files/daemon.json, dest: " + dest() + ", mode: '0640'}\n"), ctx);
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("{\"userns-remap\": \"default\"}\n", Files.readString(Path.of(dest())));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(dest()))));
        assertEquals(FileWrite.sha256(Files.readAllBytes(Path.of(dest()))), r.data().get("checksum"));
    }

    @Test
    void identicalContentIsLeftAloneAndReportedOk() throws Exception {
        CopySpec spec = fx.parseClean(type, "copy: {content: \"a=1\\n\", dest: " + dest() + ", backup: true}\n");
        assertEquals(StepResult.Outcome.CHANGED, type.execute(spec, ctx).outcome());
        long before = Files.getLastModifiedTime(Path.of(dest())).toMillis();
        StepResult again = type.execute(spec, ctx);
        assertEquals(StepResult.Outcome.OK, again.outcome());
        assertTrue(again.message().contains("up to date"), again.message());
        assertEquals("", again.data().get("backup"));
        assertEquals(before, Files.getLastModifiedTime(Path.of(dest())).toMillis());
        try (var files = Files.list(host)) {
            assertEquals(1, files.count(), "no backup for an unchanged file");
        }
    }

    @Test
    void backupKeepsThePreviousFileWithItsMode() throws Exception {
        Path d = Path.of(dest());
        Files.writeString(d, "old\n");
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rw-------"));
        StepResult r = type.execute(fx.parseClean(type, "copy: {content: \"new\\n\", dest: " + dest() + ", backup: true}\n"), ctx);
        String backup = (String) r.data().get("backup");
        assertEquals(dest() + ".20261122023015.bak", backup);
        assertEquals("old\n", Files.readString(Path.of(backup)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(backup))));
        assertEquals("new\n", Files.readString(d));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)), "mode kept when none is given");
    }

    @Test
    void twoWritesWithinOneSecondKeepBothBackups() throws Exception {
        Path d = Path.of(dest());
        Files.writeString(d, "v1\n");
        StepResult first = type.execute(fx.parseClean(type, "copy: {content: \"v2\\n\", dest: " + dest() + ", backup: true}\n"), ctx);
        StepResult second = type.execute(fx.parseClean(type, "copy: {content: \"v3\\n\", dest: " + dest() + ", backup: true}\n"), ctx);
        assertEquals(dest() + ".20261122023015.bak", first.data().get("backup"));
        assertEquals(dest() + ".20261122023015.1.bak", second.data().get("backup"));
        assertEquals("v1\n", Files.readString(Path.of(dest() + ".20261122023015.bak")), "the first backup is not overwritten");
        assertEquals("v2\n", Files.readString(Path.of(dest() + ".20261122023015.1.bak")));
    }

    @Test
    void aChangedModeAloneIsAChange() throws Exception {
        Files.writeString(Path.of(dest()), "same\n");
        Files.setPosixFilePermissions(Path.of(dest()), PosixFilePermissions.fromString("rw-rw-rw-"));
        StepResult r = type.execute(fx.parseClean(type, "copy: {content: \"same\\n\", dest: " + dest() + ", mode: '0600'}\n"), ctx);
        assertEquals(StepResult.Outcome.CHANGED, r.outcome());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(dest()))));
    }

    @Test
    void aRepeatedCopyWithTheCurrentOwnerAndGroupIsOkWithNoNewBackup() throws Exception {
        String user = Files.getOwner(host).getName();
        String group = Files.readAttributes(host, PosixFileAttributes.class).group().getName();
        Files.writeString(Path.of(dest()), "old\n");
        CopySpec byName = fx.parseClean(type, "copy: {content: \"a=1\\n\", dest: " + dest() + ", owner: " + user
                + ", group: " + group + ", mode: '0640', backup: true}\n");
        assertEquals(StepResult.Outcome.CHANGED, type.execute(byName, ctx).outcome());
        StepResult again = type.execute(byName, ctx);
        assertEquals(StepResult.Outcome.OK, again.outcome(), again.message());
        assertEquals("", again.data().get("backup"));
        int uid = (Integer) Files.getAttribute(host, "unix:uid");
        int gid = (Integer) Files.getAttribute(host, "unix:gid");
        CopySpec byNumber = fx.parseClean(type, "copy: {content: \"a=1\\n\", dest: " + dest() + ", owner: '" + uid
                + "', group: '" + gid + "', backup: true}\n");
        assertEquals(StepResult.Outcome.OK, type.execute(byNumber, ctx).outcome());
        try (var files = Files.list(host)) {
            assertEquals(2, files.count(), "the file and the one backup of 'old'");
        }
    }

    @Test
    void aDifferentOwnerAloneRewritesTheSameContentWithoutABackup() throws Exception {
        assumeTrue(new LocalTarget().root(), "needs root to give a file away");
        Path d = Path.of(dest());
        Files.writeString(d, "same\n");
        String yaml = "copy: {content: \"same\\n\", dest: " + dest() + ", owner: '65534', backup: true}\n";
        StepResult r = type.execute(fx.parseClean(type, yaml), ctx);
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("set owner '65534' on '" + dest() + "' (content unchanged)", r.message());
        assertEquals(65534, Files.getAttribute(d, "unix:uid"));
        assertEquals("same\n", Files.readString(d));
        assertEquals("", r.data().get("backup"));
        try (var files = Files.list(host)) {
            assertEquals(1, files.count(), "no backup of the same content");
        }
        assertEquals(StepResult.Outcome.OK, type.execute(fx.parseClean(type, yaml), ctx).outcome());
    }

    @Test
    void anOwnerChangeThroughASymlinkToAFileWithTheSameContentReplacesTheLinkAndLeavesItsTargetAlone() throws Exception {
        assumeTrue(new LocalTarget().root(), "needs root to give a file away");
        // a user who can write in the directory shows a link to a file with the expected content
        Path shadow = Files.writeString(host.resolve("shadow"), "same\n");
        Files.setPosixFilePermissions(shadow, PosixFilePermissions.fromString("rw-------"));
        Path d = Path.of(dest());
        Files.createSymbolicLink(d, shadow);
        StepResult r = type.execute(fx.parseClean(type, "copy: {content: \"same\\n\", dest: " + dest()
                + ", owner: '65534', mode: '0644'}\n"), ctx);
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals(0, Files.getAttribute(shadow, "unix:uid"), "the link's target keeps its owner");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(shadow)));
        assertFalse(Files.isSymbolicLink(d), "the link is replaced by a file");
        assertEquals(65534, Files.getAttribute(d, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals("same\n", Files.readString(d));
    }

    @Test
    void modesAreReadAsOctalHoweverYamlTypedThem() {
        assertEquals(Optional.of(0640), fx.parseClean(type, "copy: {content: x, dest: /x, mode: 0640}\n").mode());
        assertEquals(Optional.of(0755), fx.parseClean(type, "copy: {content: x, dest: /x, mode: '755'}\n").mode());
    }

    @Test
    void aBadModeIsAParseErrorAtItsPosition() {
        fx.parse(type, "copy:\n  content: x\n  dest: /x\n  mode: rw-r--r--\n");
        String out = fx.rendered();
        assertTrue(out.contains("step.yaml:4:9: error: 'mode' in 'copy' must be an octal file mode, not 'rw-r--r--'"), out);
        assertTrue(out.contains("hint: write the mode in octal and quoted: '0640'"), out);
    }

    @Test
    void srcAndContentTogetherOrNeitherAreErrors() {
        fx.parse(type, "copy: {src: files/daemon.json, content: x, dest: /x}\n");
        assertTrue(fx.rendered().contains("takes 'src' or 'content', not both"), fx.rendered());
        ParseFixture other = new ParseFixture(runbookDir);
        other.parse(type, "copy: {dest: /x}\n");
        assertTrue(other.rendered().contains("'copy' needs 'src'"), other.rendered());
    }

    @Test
    void aDirectoryDestinationFails() throws Exception {
        StepResult r = type.execute(fx.parseClean(type, "copy: {content: x, dest: " + host + "}\n"), ctx);
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertTrue(r.message().contains("is a directory"), r.message());
    }
}
