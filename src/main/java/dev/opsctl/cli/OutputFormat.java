package dev.opsctl.cli;

/** {@code -o}: human text on the terminal, or one JSON object per event per line. */
enum OutputFormat {
    text,
    json
}
