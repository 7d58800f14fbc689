package dev.opsctl.cli;

import picocli.CommandLine.Option;

/** {@code -o text|json}, shared by every command that reports a run. */
final class OutputMixin {
    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); json prints one event per line on stdout.")
    OutputFormat format = OutputFormat.text;

    boolean json() {
        return format == OutputFormat.json;
    }
}
