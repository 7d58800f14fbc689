package dev.opsctl.action.backup;

import java.util.List;
import java.util.Optional;

/**
 * Paths (files or directories, templates) to copy aside before a change; into {@code destDir} when
 * given, else beside each path. {@code missingOk}: a missing path is recorded as absent, not an error.
 */
public record BackupSpec(List<String> paths, Optional<String> destDir, boolean missingOk) {
    public BackupSpec {
        paths = List.copyOf(paths);
    }
}
