package dev.opsctl.cli;

import dev.opsctl.source.Secret;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the sudo password comes from, for hosts without passwordless sudo: asked on the terminal,
 * an environment variable or a private file ({@link SecretSources}). sudo reads it on the host
 * from the command's stdin.
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

    /** Only -K: the password can only be had by asking (two sources at once are refused by {@link #password}). */
    boolean asksOnly() {
        return ask && fromEnv == null && fromFile == null;
    }

    /** The password, asking for it now if so told; empty when no option was given. */
    Optional<Secret> password(CliEnv env) {
        int sources = (ask ? 1 : 0) + (fromEnv != null ? 1 : 0) + (fromFile != null ? 1 : 0);
        if (sources > 1) {
            throw new UsageException("give the sudo password one way: --ask-sudo-password, --sudo-password-env or --sudo-password-file");
        }
        if (fromEnv != null) {
            return Optional.of(SecretSources.fromEnv(env, "--sudo-password-env", fromEnv));
        }
        if (fromFile != null) {
            return Optional.of(SecretSources.fromFile(env, "--sudo-password-file", fromFile));
        }
        if (!ask) {
            return Optional.empty();
        }
        if (!env.terminal() || System.console() == null) {
            throw new UsageException("--ask-sudo-password needs a terminal to ask on",
                    "without one, use --sudo-password-env NAME or --sudo-password-file FILE");
        }
        return Optional.of(SecretSources.ask(env, "sudo password: ")
                .orElseThrow(() -> new UsageException("no sudo password was typed")));
    }
}
