package dev.opsctl.shell;

import picocli.CommandLine;

/**
 * The opsctl command tree, built by {@code cli} and handed to the shell: a fresh tree for every line,
 * so no option value of one command can leak into the next.
 */
@FunctionalInterface
public interface CommandTree {
    /** A new command tree writing to {@code line}'s streams, using its stop and prompter. */
    CommandLine create(ShellLine line);
}
