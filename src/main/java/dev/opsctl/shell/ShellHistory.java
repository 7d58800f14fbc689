package dev.opsctl.shell;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.regex.Pattern;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * The shell's history file, {@code <stateDir>/shell_history}: created 0600 in a 0700 state dir, written
 * a line at a time so every session sees what the others saved when it starts. Lines that set something
 * that looks like a secret ({@code -e db_password=...}, {@code token=...}) are not kept, nor are lines
 * typed with a leading space.
 */
final class ShellHistory {
    static final String FILE = "shell_history";

    /** A {@code KEY=value} whose key names a secret: the line is run but never written down. */
    static final Pattern SECRET = Pattern.compile("(?i)[a-z0-9_.-]*(pass|token|secret|api_?key|private_?key|credential)[a-z0-9_.-]*=");

    private ShellHistory() {}

    static Path prepare(Path stateDir) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(stateDir)) {
            if (posix) {
                Files.createDirectories(stateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(stateDir);
            }
        }
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        }
        if (posix) {
            // an older file, or one the umask widened, is narrowed: commands and hosts are nobody else's business
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return file;
    }

    static LineReaderBuilder configure(LineReaderBuilder builder, Path file) {
        return builder.history(new SecretFree()).variable(LineReader.HISTORY_FILE, file)
                .variable(LineReader.HISTORY_SIZE, 2000)
                .variable(LineReader.HISTORY_FILE_SIZE, 10000)
                .option(LineReader.Option.HISTORY_INCREMENTAL, true)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true);
    }

    /** JLine's history, minus the lines that carry a secret (JLine's own ignore list is case-sensitive globs only). */
    static final class SecretFree extends DefaultHistory {
        @Override
        public void add(Instant time, String line) {
            if (!SECRET.matcher(line).find()) {
                super.add(time, line);
            }
        }
    }
}
