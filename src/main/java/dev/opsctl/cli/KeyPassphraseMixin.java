package dev.opsctl.cli;

import dev.opsctl.source.Secret;
import dev.opsctl.target.ssh.PasswordSupplier;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The passphrase of encrypted identity files: from an environment variable or a private file
 * ({@link SecretSources}); without either, asked on the terminal as OpenSSH does, once per key file
 * however many hosts use it, and with no terminal the encrypted key is skipped.
 */
final class KeyPassphraseMixin {
    @Option(names = "--key-passphrase-env", paramLabel = "NAME",
            description = "Passphrase of encrypted key files, from the environment variable NAME (for cron and CI). "
                    + "On a terminal opsctl asks for it otherwise, once per key file.")
    String fromEnv;

    @Option(names = "--key-passphrase-file", paramLabel = "FILE",
            description = "Passphrase of encrypted key files, from the first line of FILE, which must be readable by its owner only.")
    Path fromFile;

    boolean given() {
        return fromEnv != null || fromFile != null;
    }

    PasswordSupplier supplier(CliEnv env) {
        if (fromEnv != null && fromFile != null) {
            throw new UsageException("give the key passphrase one way: --key-passphrase-env or --key-passphrase-file");
        }
        if (given()) {
            Optional<Secret> s = Optional.of(fromEnv != null ? SecretSources.fromEnv(env, "--key-passphrase-env", fromEnv)
                    : SecretSources.fromFile(env, "--key-passphrase-file", fromFile));
            return key -> s;
        }
        if (!env.terminal()) {
            return PasswordSupplier.NONE;
        }
        Map<Path, Optional<Secret>> answers = new HashMap<>();
        return key -> {
            // hosts connect in parallel: the first asks, the others wait for its answer
            synchronized (answers) {
                return answers.computeIfAbsent(key, k -> SecretSources.ask(env, "passphrase for key '" + k + "': "));
            }
        };
    }
}
