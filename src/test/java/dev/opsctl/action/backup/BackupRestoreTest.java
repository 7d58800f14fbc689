package dev.opsctl.action.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.restore.RestoreActionType;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup, a change, and a restore from that backup's id: the round trip a rollback relies on. */
class BackupRestoreTest {
    @TempDir
    Path host;

    private final BackupActionType backup = new BackupActionType();
    private final RestoreActionType restore = new RestoreActionType();
    private FakeStepContext ctx;
    private ParseFixture fx;
    private Path conf;
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        ctx = new FakeStepContext(new LocalTarget("web-1"), host);
        fx = new ParseFixture(host);
        conf = host.resolve("daemon.json");
        Files.writeString(conf, "{\"a\": 1}\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r-----"));
        dir = host.resolve("conf.d");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("one.conf"), "one\n");
        Files.writeString(dir.resolve("sub/two.conf"), "two\n");
    }

    private StepResult backUp(String extra) throws Exception {
        StepResult r = backup.execute(fx.parseClean(backup, "backup: {paths: [" + conf + ", " + dir + "]" + extra + "}\n"), ctx);
        ctx.recordStep("backup-config", r);
        return r;
    }

    @Test
    void copiesFilesAndDirectoriesWithTimestampedNamesAndChecksums() throws Exception {
        StepResult r = backUp("");
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        Map<?, ?> paths = (Map<?, ?>) r.data().get("paths");
        assertEquals(conf + ".bak.20261122-023015", paths.get(conf.toString()));
        assertEquals(dir + ".bak.20261122-023015", paths.get(dir.toString()));
        Path copy = Path.of((String) paths.get(conf.toString()));
        assertEquals("{\"a\": 1}\n", Files.readString(copy));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
        assertEquals("two\n", Files.readString(Path.of(dir + ".bak.20261122-023015/sub/two.conf")));
        Map<?, ?> sums = (Map<?, ?>) r.data().get("checksums");
        assertTrue(((String) sums.get(conf.toString())).matches("[0-9a-f]{64}"), sums.toString());
        assertTrue(Manifest.parse((String) r.data().get("manifest")).isPresent());
    }

    @Test
    void restoreFromTheBackupStepPutsFilesAndDirectoriesBack() throws Exception {
        backUp("");
        Files.writeString(conf, "{\"a\": 2, \"broken\": true}\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.writeString(dir.resolve("one.conf"), "changed\n");
        Files.writeString(dir.resolve("new.conf"), "appeared\n");
        StepResult r = restore.execute(fx.parseClean(restore, "restore: {from: backup-config}\n"), ctx);
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("restored 2 paths from step 'backup-config'", r.message());
        assertEquals("{\"a\": 1}\n", Files.readString(conf));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)));
        assertEquals("one\n", Files.readString(dir.resolve("one.conf")));
        assertFalse(Files.exists(dir.resolve("new.conf")));
        try (var left = Files.list(host)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains("opsctl-")), "no temporary copies left");
        }
    }

    @Test
    void aTamperedBackupFailsTheRestoreAndChangesNothing() throws Exception {
        StepResult b = backUp("");
        Files.writeString(conf, "current\n");
        Files.writeString(dir.resolve("one.conf"), "current\n");
        Path dirCopy = Path.of((String) ((Map<?, ?>) b.data().get("paths")).get(dir.toString()));
        Files.writeString(dirCopy.resolve("sub/two.conf"), "tampered\n");
        StepResult r = restore.execute(fx.parseClean(restore, "restore: {from: backup-config}\n"), ctx);
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertTrue(r.message().contains("nothing was restored"), r.message());
        assertTrue(r.message().contains("it changed since it was made"), r.message());
        assertEquals("current\n", Files.readString(conf), "the first path is not restored either");
    }

    /** A home directory of nobody's under {@code host}, and a root-only directory beside it holding root's sshd_config. */
    private record HomeAndRootOnly(Path home, Path rootOnly) {}

    private HomeAndRootOnly homeAndRootOnly() throws Exception {
        assumeTrue(new LocalTarget("local").root(), "needs root");
        Files.setPosixFilePermissions(host, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = Files.createDirectory(host.resolve("home"));
        Files.setAttribute(home, "unix:uid", 65534);
        Path rootOnly = Files.createDirectory(host.resolve("rootonly"));
        Files.setPosixFilePermissions(rootOnly, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(rootOnly.resolve("sshd_config"), "root's\n");
        return new HomeAndRootOnly(home, rootOnly);
    }

    /** Backs {@code path} up into a directory of root's, where the home's owner cannot reach the copy. */
    private StepResult backUpOutsideTheHome(Path path) throws Exception {
        Path backups = Files.createDirectory(host.resolve("backups"));
        StepResult b = backup.execute(fx.parseClean(backup, "backup: {paths: [" + path + "], dest_dir: " + backups + "}\n"), ctx);
        ctx.recordStep("backup-config", b);
        assertEquals(StepResult.Outcome.CHANGED, b.outcome(), b.message());
        return b;
    }

    private static List<String> names(Path d) throws Exception {
        try (var s = Files.list(d)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aRestoreDoesNotFollowADirectoryTheHomesOwnerSwappedForALink() throws Exception {
        HomeAndRootOnly hr = homeAndRootOnly();
        Path app = Files.createDirectory(hr.home().resolve("app"));
        Path target = Files.writeString(app.resolve("sshd_config"), "alice's\n");
        backUpOutsideTheHome(target);
        // what the home's owner may do between the backup and the rollback
        Files.move(app, hr.home().resolve("app.old"));
        Files.createSymbolicLink(app, hr.rootOnly());
        StepResult r = restore.execute(fx.parseClean(restore, "restore: {from: backup-config}\n"), ctx);
        assertEquals(StepResult.Outcome.FAILED, r.outcome(), r.message());
        assertTrue(r.message().contains("/home/app' is a symbolic link in a directory others can write"), r.message());
        assertEquals("root's\n", Files.readString(hr.rootOnly().resolve("sshd_config")));
        assertEquals(List.of("sshd_config"), names(hr.rootOnly()));
    }

    @Test
    void aRestoresPrivateDirectorySwappedForALinkByTheHomesOwnerTakesNothingElsewhere() throws Exception {
        HomeAndRootOnly hr = homeAndRootOnly();
        Files.writeString(hr.rootOnly().resolve("new"), "root's\n");
        Path target = Files.writeString(hr.home().resolve("app.conf"), "alice's\n");
        StepResult b = backUpOutsideTheHome(target);
        String copy = (String) ((Map<?, ?>) b.data().get("paths")).get(target.toString());
        String sum = (String) ((Map<?, ?>) b.data().get("checksums")).get(target.toString());
        // the moment the home's owner wins the race: as root starts copying, she renames root's private
        // directory and puts a link to a root-only directory under its name
        Path bin = Files.createDirectories(host.resolve("bin"));
        Files.writeString(bin.resolve("cp"), "#!/bin/sh\nfor d in " + hr.home() + "/.app.conf.opsctl-restore.*; do\n"
                + "  setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'mv \"$1\" \"$1.x\" && ln -s \"$2\" \"$1\"' sh \"$d\" "
                + hr.rootOnly() + "\ndone\nexec /bin/cp \"$@\"\n");
        Files.setPosixFilePermissions(bin.resolve("cp"), PosixFilePermissions.fromString("rwx------"));
        Manifest.Entry entry = new Manifest.Entry(target.toString(), copy, sum, new Manifest.Kind.Plain(Manifest.Type.FILE));
        ExecResult r = new LocalTarget("web-1").exec(ExecRequest.of(RestoreScripts.restore(entry))
                .withEnv(Map.of("PATH", bin + ":/usr/bin:/bin")));
        String swapped = names(hr.home()).stream().filter(n -> n.startsWith(".app.conf.opsctl-restore") && !n.endsWith(".x"))
                .findFirst().orElseThrow();
        assertTrue(Files.isSymbolicLink(hr.home().resolve(swapped)), "the swap happened");
        assertEquals(List.of("new", "sshd_config"), names(hr.rootOnly()),
                r.stdout() + r.stderr());
        assertEquals("root's\n", Files.readString(hr.rootOnly().resolve("new")), "nothing was written through the link");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("alice's\n", Files.readString(target));
    }

    @Test
    void aLinkIsNotPutBackThroughADirectoryTheHomesOwnerSwappedForALink() throws Exception {
        HomeAndRootOnly hr = homeAndRootOnly();
        Path real = Files.createDirectory(hr.home().resolve("real"));
        Files.writeString(real.resolve("sshd_config"), "alice's\n");
        Path d = Files.createDirectory(hr.home().resolve("d"));
        Path link = Files.createSymbolicLink(d.resolve("sshd_config"), real.resolve("sshd_config"));
        backUpOutsideTheHome(link);
        Files.move(d, hr.home().resolve("d.old"));
        Files.createSymbolicLink(d, hr.rootOnly());
        StepResult r = restore.execute(fx.parseClean(restore, "restore: {from: backup-config}\n"), ctx);
        assertEquals(StepResult.Outcome.FAILED, r.outcome(), r.message());
        assertFalse(Files.isSymbolicLink(hr.rootOnly().resolve("sshd_config")), "root's file was not made a link to alice's");
        assertEquals("root's\n", Files.readString(hr.rootOnly().resolve("sshd_config")));
    }

    @Test
    void aSymlinkIsFollowedSoTheContentItPointsToIsRestoredAndTheLinkStays() throws Exception {
        Path real = host.resolve("real.conf");
        Files.writeString(real, "orig");
        Path link = Files.createSymbolicLink(host.resolve("link.conf"), real.getFileName());
        StepResult b = backup.execute(fx.parseClean(backup, "backup: {paths: [" + link + "]}\n"), ctx);
        ctx.recordStep("backup-config", b);
        assertEquals(StepResult.Outcome.CHANGED, b.outcome(), b.message());
        Path copy = Path.of((String) ((Map<?, ?>) b.data().get("paths")).get(link.toString()));
        assertFalse(Files.isSymbolicLink(copy), "the backup holds the content, not the link");

        Files.writeString(link, "new");
        assertEquals("orig", Files.readString(copy));
        StepResult r = restore.execute(fx.parseClean(restore, "restore: {from: backup-config}\n"), ctx);

        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("orig", Files.readString(real));
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals(real.getFileName(), Files.readSymbolicLink(link));
    }

    @Test
    void aSymlinkWithAwkwardNamesIsPutBackWithItsExactTargetText() throws Exception {
        Path sub = Files.createDirectories(host.resolve("it's a dir"));
        Path real = Files.writeString(sub.resolve("-real 'x'\n"), "orig");
        Path link = Files.createSymbolicLink(sub.resolve("-link \"y\"\n"), real.getFileName());
        String yamlPath = "\"" + link.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        ctx.recordStep("backup-config", backup.execute(fx.parseClean(backup, "backup: {paths: [" + yamlPath + "]}\n"), ctx));
        Files.delete(link);
        Files.writeString(link, "a copy step's file");

        StepResult r = restore.execute(fx.parseClean(restore, "restore: {from: backup-config}\n"), ctx);

        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals(real.getFileName(), Files.readSymbolicLink(link));
        assertEquals("orig", Files.readString(real));
    }

    @Test
    void aBackedUpSymlinkThatIsNowADirectoryWithFilesIsRefused() throws Exception {
        Path real = Files.writeString(host.resolve("real.conf"), "orig");
        Path link = Files.createSymbolicLink(host.resolve("link.conf"), real.getFileName());
        ctx.recordStep("backup-config", backup.execute(fx.parseClean(backup, "backup: {paths: [" + link + "]}\n"), ctx));
        Files.delete(link);
        Files.writeString(Files.createDirectory(link).resolve("keep"), "keep");

        StepResult r = restore.execute(fx.parseClean(restore, "restore: {from: backup-config}\n"), ctx);

        assertEquals(StepResult.Outcome.FAILED, r.outcome(), r.message());
        assertTrue(r.message().contains("is now a directory that is not empty"), r.message());
        assertEquals("keep", Files.readString(link.resolve("keep")));
    }

    @Test
    void aSymlinkThatAppearedWhereADirectoryWasIsReplacedNotFollowed() throws Exception {
        backUp("");
        Path elsewhere = Files.createDirectories(host.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("one.conf"), "elsewhere\n");
        Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Files.createSymbolicLink(dir, elsewhere);

        StepResult r = restore.execute(fx.parseClean(restore, "restore: {from: backup-config}\n"), ctx);

        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertFalse(Files.isSymbolicLink(dir));
        assertEquals("one\n", Files.readString(dir.resolve("one.conf")));
        try (var listed = Files.list(elsewhere)) {
            assertEquals(java.util.List.of(elsewhere.resolve("one.conf")), listed.toList(), "nothing written through the link");
        }
        assertEquals("elsewhere\n", Files.readString(elsewhere.resolve("one.conf")));
    }

    /** A manifest as an opsctl before link targets were recorded wrote it: no 'type'. */
    private void recordOldManifest(Path original, Path copy) throws Exception {
        String sum = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(copy)));
        String json = "{\"" + original + "\": {\"backup\": \"" + copy + "\", \"sha256\": \"" + sum + "\", \"absent\": false}}";
        ctx.recordStep("backup-config", StepResult.changed("", Map.of("manifest", json)));
    }

    @Test
    void anOldManifestStillRestoresARegularFile() throws Exception {
        Path copy = Files.writeString(host.resolve("daemon.json.saved"), "saved\n");
        recordOldManifest(conf, copy);
        StepResult r = restore.execute(fx.parseClean(restore, "restore: {from: backup-config}\n"), ctx);
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("saved\n", Files.readString(conf));
    }

    @Test
    void anOldManifestWhosePathIsASymlinkIsRefusedWithWhatToDo() throws Exception {
        Path real = Files.writeString(host.resolve("real.conf"), "current");
        Path link = Files.createSymbolicLink(host.resolve("link.conf"), real.getFileName());
        recordOldManifest(link, Files.writeString(host.resolve("link.conf.saved"), "orig"));

        StepResult r = restore.execute(fx.parseClean(restore, "restore: {from: backup-config}\n"), ctx);

        assertEquals(StepResult.Outcome.FAILED, r.outcome(), r.message());
        assertTrue(r.message().contains("nothing was restored"), r.message());
        assertTrue(r.message().contains("restore it by hand or with explicit 'paths'"), r.message());
        assertEquals("current", Files.readString(real));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void aSymlinkToNothingFailsTheBackupAndSaysSo() throws Exception {
        Path link = Files.createSymbolicLink(host.resolve("dangling.conf"), host.resolve("gone.conf"));
        StepResult r = backup.execute(fx.parseClean(backup, "backup: {paths: [" + link + "]}\n"), ctx);
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertTrue(r.message().contains("which does not exist: there is nothing to back up"), r.message());
    }

    @Test
    void symlinksInsideADirectoryAreKeptAsLinksAndPartOfItsChecksum() throws Exception {
        Files.createSymbolicLink(dir.resolve("current.conf"), Path.of("one.conf"));
        StepResult b = backUp("");
        Path dirCopy = Path.of((String) ((Map<?, ?>) b.data().get("paths")).get(dir.toString()));
        assertEquals(Path.of("one.conf"), Files.readSymbolicLink(dirCopy.resolve("current.conf")));

        Files.delete(dir.resolve("current.conf"));
        Files.createSymbolicLink(dir.resolve("current.conf"), Path.of("sub/two.conf"));
        StepResult r = restore.execute(fx.parseClean(restore, "restore: {from: backup-config}\n"), ctx);
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals(Path.of("one.conf"), Files.readSymbolicLink(dir.resolve("current.conf")));

        Files.delete(dirCopy.resolve("current.conf"));
        Files.createSymbolicLink(dirCopy.resolve("current.conf"), Path.of("sub/two.conf"));
        StepResult tampered = restore.execute(fx.parseClean(restore, "restore: {from: backup-config}\n"), ctx);
        assertEquals(StepResult.Outcome.FAILED, tampered.outcome());
        assertTrue(tampered.message().contains("it changed since it was made"), tampered.message());
    }

    @Test
    void whenTheRestoredDirectoryCannotBeMovedInTheOriginalIsPutBack() throws Exception {
        StepResult b = backUp("");
        Files.writeString(dir.resolve("one.conf"), "changed\n");
        ExecResult r = restoreWithFailingMv(b, 2, 2);
        assertEquals(1, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("the original is back and unchanged"), r.stderr());
        assertEquals("changed\n", Files.readString(dir.resolve("one.conf")));
    }

    @Test
    void whenTheOriginalDirectoryCannotBeMovedBackEitherTheErrorSaysWhereItIs() throws Exception {
        StepResult b = backUp("");
        Files.writeString(dir.resolve("one.conf"), "changed\n");
        ExecResult r = restoreWithFailingMv(b, 2, 3);
        assertEquals(1, r.exitCode(), r.stderr());
        Matcher parked = Pattern.compile("the original is now '([^']+)'").matcher(r.stderr());
        assertTrue(parked.find(), r.stderr());
        assertTrue(parked.group(1).startsWith(host.resolve(".conf.d.opsctl-restore.").toString()), parked.group(1));
        assertEquals("changed\n", Files.readString(Path.of(parked.group(1), "one.conf")));
    }

    /** Runs the restore script for the directory with an 'mv' whose calls number {@code from} to {@code to} fail. */
    private ExecResult restoreWithFailingMv(StepResult backedUp, int from, int to) throws Exception {
        Path bin = Files.createDirectories(host.resolve("bin"));
        Path mv = bin.resolve("mv");
        Files.writeString(mv, "#!/bin/sh\nc=" + bin.resolve("calls") + "\nn=$(($(cat \"$c\" 2>/dev/null || echo 0) + 1)); echo $n > \"$c\"\n"
                + "if [ $n -ge " + from + " ] && [ $n -le " + to + " ]; then echo 'mv: refused' >&2; exit 1; fi\nexec /bin/mv \"$@\"\n");
        Files.setPosixFilePermissions(mv, PosixFilePermissions.fromString("rwx------"));
        String copy = (String) ((Map<?, ?>) backedUp.data().get("paths")).get(dir.toString());
        String sum = (String) ((Map<?, ?>) backedUp.data().get("checksums")).get(dir.toString());
        Manifest.Entry entry = new Manifest.Entry(dir.toString(), copy, sum, new Manifest.Kind.Plain(Manifest.Type.DIR));
        return new LocalTarget("web-1").exec(ExecRequest.of(RestoreScripts.restore(entry))
                .withEnv(Map.of("PATH", bin + ":/usr/bin:/bin")));
    }

    @Test
    void aMissingPathFailsUnlessMissingOk() throws Exception {
        Path absent = host.resolve("subuid");
        StepResult failed = backup.execute(fx.parseClean(backup, "backup: {paths: [" + absent + "]}\n"), ctx);
        assertEquals(StepResult.Outcome.FAILED, failed.outcome());
        assertTrue(failed.message().contains("does not exist (set 'missing_ok: true'"), failed.message());

        StepResult ok = backup.execute(fx.parseClean(backup, "backup: {paths: [" + absent + "], missing_ok: true}\n"), ctx);
        assertTrue(ok.succeeded(), ok.message());
        ctx.recordStep("backup-config", ok);
        Files.writeString(absent, "created by the change\n");
        StepResult r = restore.execute(fx.parseClean(restore, "restore: {from: backup-config}\n"), ctx);
        assertTrue(r.succeeded(), r.message());
        assertFalse(Files.exists(absent), "a path absent at backup time is removed on restore");
    }

    @Test
    void destDirCollectsTheCopies() throws Exception {
        Path vault = host.resolve("vault");
        StepResult r = backup.execute(fx.parseClean(backup, "backup: {paths: [" + conf + "], dest_dir: " + vault + "}\n"), ctx);
        assertEquals(vault.resolve("daemon.json.bak.20261122-023015").toString(), ((Map<?, ?>) r.data().get("paths")).get(conf.toString()));
        assertTrue(Files.exists(vault.resolve("daemon.json.bak.20261122-023015")));
    }

    @Test
    void restoreTakesExplicitPathsToo() throws Exception {
        Path copy = host.resolve("saved.json");
        Files.writeString(copy, "saved\n");
        StepResult r = restore.execute(fx.parseClean(restore, "restore: {paths: {" + conf + ": " + copy + "}}\n"), ctx);
        assertTrue(r.succeeded(), r.message());
        assertEquals("saved\n", Files.readString(conf));
    }

    @Test
    void restoreFromAStepThatRecordedNothingFails() throws Exception {
        StepResult r = restore.execute(fx.parseClean(restore, "restore: {from: never-ran}\n"), ctx);
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertTrue(r.message().contains("never-ran"), r.message());
    }

    @Test
    void restoreNeedsExactlyOneOfFromAndPaths() {
        fx.parse(restore, "restore: {}\n");
        assertTrue(fx.rendered().contains("either 'from' (a backup step's id) or 'paths', not neither"), fx.rendered());
    }
}
