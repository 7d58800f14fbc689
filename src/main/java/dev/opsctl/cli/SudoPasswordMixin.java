package dev.opsctl.cli;

import dev.opsctl.source.Secret;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Where the sudo password comes from, for hosts without passwordless sudo: asked on the terminal,
 * an environment variable or a private file. Never an argument: a command line is readable by
 * every user of the machine ({@code ps}). sudo reads it on the host from the command's stdin.
 */
final class SudoPasswordMixin {
    @Option(names = {"-K", "--ask-sudo-password"},
            description = "Ask for the sudo password on the terminal (not echoed), once, for every host; sudo reads it on stdin, never from a command line.")
    boolean ask;

    @Option(names = "--sudo-password-env", paramLabel = "NAME",
            description = "Take the sudo password from the environment variable NAME (for cron and CI).")
    String fromEnv;

    @Option(names = "--sudo-password-file", paramLabel = "FILE",
            description = "Take the sudo password from the first line of FILE, which must be readable by its owner only.")
    Path fromFile;

    boolean given() {
        return ask || fromEnv != null || fromFile != null;
    }

    /** The password, asking for it now if so told; empty when no option was given. */
    Optional<Secret> password(CliEnv env) {
        int sources = (ask ? 1 : 0) + (fromEnv != null ? 1 : 0) + (fromFile != null ? 1 : 0);
        if (sources > 1) {
            throw new UsageException("give the sudo password one way: --ask-sudo-password, --sudo-password-env or --sudo-password-file", null);
        }
        Optional<String> value;
        if (ask) {
            value = Optional.of(asked(env));
        } else if (fromEnv != null) {
            value = Optional.of(env.var(fromEnv).orElseThrow(() -> new UsageException(
                    "--sudo-password-env " + fromEnv + ": the environment has no variable '" + fromEnv + "'",
                    "export it before running opsctl, or use --ask-sudo-password")));
        } else if (fromFile != null) {
            value = Optional.of(read(env.resolve(fromFile.toString())));
        } else {
            return Optional.empty();
        }
        if (value.get().isEmpty()) {
            throw new UsageException("the sudo password is empty", "for passwordless sudo (sudo -n), give no password option");
        }
        return value.map(Secret::new);
    }

    private static String asked(CliEnv env) {
        Console console = System.console();
        if (!env.terminal() || console == null) {
            throw new UsageException("--ask-sudo-password needs a terminal to ask on",
                    "without one, use --sudo-password-env NAME or --sudo-password-file FILE");
        }
        char[] typed = console.readPassword("sudo password: ");
        if (typed == null) {
            throw new UsageException("no sudo password was typed (end of input)", null);
        }
        return new String(typed);
    }

    private static String read(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
                throw new UsageException("--sudo-password-file " + file + " may be read by others than its owner (mode "
                        + java.nio.file.attribute.PosixFilePermissions.toString(perms) + ")", "chmod 600 " + file);
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException | UnsupportedOperationException e) {
            throw new UsageException("--sudo-password-file: cannot read " + file + ": " + e.getMessage(), null);
        }
    }
}
