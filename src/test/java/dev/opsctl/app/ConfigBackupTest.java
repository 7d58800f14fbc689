package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runbooks/config-backup.yaml as the README's first command runs it, and its refusal of a source it cannot archive. */
class ConfigBackupTest {
    @TempDir
    Path tmp;

    @Test
    void withItsDefaultDirectoriesItArchivesAndVerifiesOnAFreshMachine() throws Exception {
        // the defaults must exist on any Debian host, not only on one with openssh-server installed
        Path root = tmp.resolve("backups");
        ShippedRun.Result r = ShippedRun.run(tmp.resolve("state"), "config-backup", List.of("backup_root=" + root));

        assertEquals(ExitCodes.OK, r.code(), r.describe());
        String verified = String.valueOf(r.step("config.verify").result().get("stdout"));
        assertTrue(verified.matches("verified \\d+ entries\\s*"), verified);
        try (Stream<Path> dated = Files.list(root)) {
            Path backup = dated.filter(Files::isDirectory).findFirst().orElseThrow();
            assertTrue(Files.size(backup.resolve("config.tar.gz")) > 0);
        }
    }

    @Test
    void aMissingDirectoryIsNamedAndNothingIsWritten() throws Exception {
        Path root = tmp.resolve("backups");
        Path present = Files.createDirectories(tmp.resolve("conf"));
        Path missing = tmp.resolve("no-such-conf");
        ShippedRun.Result r = ShippedRun.run(tmp.resolve("state"), "config-backup", List.of("backup_root=" + root,
                "config_dirs=" + present + "," + missing));

        assertEquals(ExitCodes.FAILED, r.code(), r.describe());
        String why = String.valueOf(r.step("config.check-sources").result().get("stderr"));
        assertTrue(why.contains("'" + missing + "' does not exist: give the directories to archive with -e config_dirs="), why);
        assertFalse(Files.exists(root), "a refused backup wrote under backup_root");
    }

    @Test
    void aDanglingSymlinkIsArchivedAsALinkNotRefusedAsUnreadable() throws Exception {
        // found by review: find -readable follows links, so a dangling one was "cannot read", even for root
        Path root = tmp.resolve("backups");
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(conf.resolve("a.conf"), "x=1\n");
        Files.createSymbolicLink(conf.resolve("old.conf"), tmp.resolve("removed-target.conf"));
        ShippedRun.Result r = ShippedRun.run(tmp.resolve("state"), "config-backup", List.of("backup_root=" + root, "config_dirs=" + conf));
        assertEquals(ExitCodes.OK, r.code(), r.describe());
    }
}
