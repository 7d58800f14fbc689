package dev.opsctl.target;

/**
 * Receives a command's output line by line while it runs (for live progress). Called from the
 * target's reader threads; implementations must be thread-safe and must not block.
 */
@FunctionalInterface
public interface OutputListener {
    OutputListener NONE = (stream, line) -> {};

    enum Stream {
        STDOUT,
        STDERR
    }

    void line(Stream stream, String line);
}
