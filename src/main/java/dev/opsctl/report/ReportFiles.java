package dev.opsctl.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a run's reports as owner-only files (0600): they name hosts and hold command output. Each
 * file is written beside its target and moved into place, so a reader never sees half a report.
 */
public final class ReportFiles {
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";

    /** Which reports to write. */
    public enum Format {
        MD, HTML, BOTH;

        public boolean markdown() {
            return this != HTML;
        }

        public boolean html() {
            return this != MD;
        }
    }

    private ReportFiles() {}

    /** Writes {@code report.md} and/or {@code report.html} into {@code dir}; returns the files written. */
    public static List<Path> write(RunReport r, Path dir, Format format, ZoneId zone) throws IOException {
        List<Path> out = new ArrayList<>();
        if (format.markdown()) {
            out.add(write(dir.resolve(MARKDOWN), MarkdownReport.render(r, zone)));
        }
        if (format.html()) {
            out.add(write(dir.resolve(HTML), HtmlReport.render(r, zone)));
        }
        return out;
    }

    /** Writes {@code text} to {@code file} with mode 0600, replacing it atomically. */
    public static Path write(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }
}
