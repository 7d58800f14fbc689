package dev.opsctl.shell;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;

/**
 * The shell's history file, {@code <stateDir>/shell_history}: created 0600 in a 0700 state dir, written
 * a line at a time so every session sees what the others saved when it starts. Lines that set something
 * that looks like a secret ({@code -e db_password=...}, {@code token=...}) are not kept, nor are lines
 * typed with a leading space.
 */
final class ShellHistory {
    static final String FILE = "shell_history";

    /** JLine's glob list (':' separated, '*' any text), case-insensitive by the leading regex flag. */
    static final String SECRET_LINES = "(?i)*(pass|token|secret|apikey|api_key|private_key|credential)*=*";

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
        return builder.variable(LineReader.HISTORY_FILE, file)
                .variable(LineReader.HISTORY_SIZE, 2000)
                .variable(LineReader.HISTORY_FILE_SIZE, 10000)
                .variable(LineReader.HISTORY_IGNORE, SECRET_LINES)
                .option(LineReader.Option.HISTORY_INCREMENTAL, true)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true);
    }
}
