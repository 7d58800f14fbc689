package dev.opsctl.action.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.restore.RestoreActionType;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
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
