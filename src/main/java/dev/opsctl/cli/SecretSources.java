package dev.opsctl.cli;

import dev.opsctl.source.Secret;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Where a password the operator gives comes from: an environment variable, a file only its owner
 * may read, or the terminal (not echoed). Never an argument: a command line is readable by every
 * user of the machine ({@code ps}).
 */
final class SecretSources {
    private SecretSources() {}

    /** The variable {@code name} of the caller's environment; {@code option} names the option for messages. */
    static Secret fromEnv(CliEnv env, String option, String name) {
        String v = env.env().get(name);
        if (v == null) {
            throw new UsageException(option + " " + name + ": the environment has no variable '" + name + "'",
                    "export it before running opsctl");
        }
        if (v.isEmpty()) {
            throw new UsageException(option + " " + name + ": the variable '" + name + "' is empty", "give it the value");
        }
        return new Secret(v);
    }

    /** The first line of {@code file}, refused when its group or others may read it (as ssh refuses such a key). */
    static Secret fromFile(CliEnv env, String option, Path given) {
        Path file = env.resolve(given.toString());
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
                throw new UsageException(option + " " + file + " may be read by others than its owner (mode "
                        + PosixFilePermissions.toString(perms) + ")", "chmod 600 " + file);
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            return nonEmpty(option, line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        } catch (IOException | UnsupportedOperationException e) {
            throw new UsageException(option + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Asks on the terminal; empty when there is none to ask on. */
    static Optional<Secret> ask(CliEnv env, String prompt) {
        Console console = System.console();
        if (!env.terminal() || console == null) {
            return Optional.empty();
        }
        char[] typed = console.readPassword("%s", prompt);
        return typed == null || typed.length == 0 ? Optional.empty() : Optional.of(new Secret(new String(typed)));
    }

    private static Secret nonEmpty(String option, String value) {
        if (value.isEmpty()) {
            throw new UsageException(option + ": the value is empty");
        }
        return new Secret(value);
    }
}
