package dev.opsctl.app;

import dev.opsctl.target.OutputListener;

/**
 * The last non-blank line a command wrote on stderr (else on stdout), from every line it wrote: the
 * captured output may be only its beginning, and a failure's last words are at its end. For one
 * command; its two streams are read on two threads.
 */
final class LastLines {
    private static final int MAX = 1024;
    private volatile String stdout = "";
    private volatile String stderr = "";

    void line(OutputListener.Stream stream, String line) {
        if (line.isBlank()) {
            return;
        }
        String stripped = line.strip();
        String kept = stripped.length() > MAX ? stripped.substring(0, MAX) : stripped;
        if (stream == OutputListener.Stream.STDERR) {
            stderr = kept;
        } else {
            stdout = kept;
        }
    }

    String get() {
        return stderr.isEmpty() ? stdout : stderr;
    }
}
