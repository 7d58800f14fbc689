package dev.opsctl.action.copy;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A file to put on the host: from {@code src} (a controller file, resolved against the runbook's
 * directory; {@code srcShown} as written) or inline {@code content}, to {@code dest} (a template).
 * Shared by {@code copy} and {@code template}; only {@code template} renders the content.
 */
public record CopySpec(
        Optional<Path> src,
        String srcShown,
        Optional<String> content,
        String dest,
        Optional<Integer> mode,
        Optional<String> owner,
        Optional<String> group,
        boolean backup) {}
