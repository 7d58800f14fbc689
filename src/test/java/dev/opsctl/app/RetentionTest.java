package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsctl.engine.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention rule shared by config-backup and monitoring-backup (runbooks/parts/retention.yaml),
 * run for real through config-backup: dated backups older than retention_days go, the newest
 * keep_at_least stay however old, and nothing that is not a dated backup is touched.
 */
class RetentionTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path config;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("backups"));
        config = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(config.resolve("nginx.conf"), "worker_processes 1;\n");
        aged("20240101-020000", Duration.ofDays(10));
        aged("20240102-020000", Duration.ofDays(9));
        aged("20240103-020000", Duration.ofDays(8));
        aged("20240104-020000", Duration.ofDays(7).plusMinutes(5));
        aged("20240105-020000", Duration.ofDays(7).minusHours(1));
        aged("20240110-020000", Duration.ofDays(2));
        aged("pre-restore-20240101-020000", Duration.ofDays(30));
        aged("notes", Duration.ofDays(30));
    }

    private void aged(String name, Duration age) throws IOException {
        Path d = Files.createDirectories(root.resolve(name));
        Files.writeString(d.resolve("config.tar.gz"), "old");
        Files.setLastModifiedTime(d, FileTime.from(Instant.now().minus(age)));
    }

    private Set<String> backupAfter(long keepAtLeast) throws Exception {
        ShippedRun.Result r = ShippedRun.run(tmp.resolve("state"), "config-backup", List.of("backup_root=" + root,
                "config_dirs=" + config, "retention_days=7", "keep_at_least=" + keepAtLeast));
        assertEquals(ExitCodes.OK, r.code(), r.describe());
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> !n.matches("20\\d{6}-\\d{6}") || n.startsWith("2024"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void deletesDatedBackupsOlderThanRetentionDaysAndNothingElse() throws Exception {
        assertEquals(Set.of("20240105-020000", "20240110-020000", "pre-restore-20240101-020000", "notes"), backupAfter(2));
    }

    @Test
    void neverGoesBelowKeepAtLeastHoweverOldTheBackupsAre() throws Exception {
        // today's + the five newest old ones = 6 kept: only the oldest, 20240101, is deleted
        assertEquals(Set.of("20240102-020000", "20240103-020000", "20240104-020000", "20240105-020000", "20240110-020000",
                "pre-restore-20240101-020000", "notes"), backupAfter(6));
    }

    @Test
    void todaysBackupIsWrittenWithItsManifest() throws Exception {
        backupAfter(2);
        try (Stream<Path> dirs = Files.list(root)) {
            Path today = dirs.filter(p -> !p.getFileName().toString().startsWith("2024") && p.getFileName().toString().matches("\\d{8}-\\d{6}"))
                    .findFirst().orElseThrow();
            assertEquals("what\tpath\tbytes\tsha256", Files.readAllLines(today.resolve("manifest.tsv")).get(0));
            assertEquals(2, Files.readAllLines(today.resolve("SHA256SUMS")).size());
        }
    }
}
