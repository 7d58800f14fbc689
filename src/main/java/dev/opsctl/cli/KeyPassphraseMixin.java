package dev.opsctl.cli;

import dev.opsctl.source.Secret;
import dev.opsctl.target.ssh.PasswordSupplier;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The passphrase of encrypted identity files: from an environment variable or a private file
 * ({@link SecretSources}); without either, asked on the terminal as OpenSSH does ({@link AskedPassphrases}),
 * where the command may ask: a run's live board would paint over the prompt. Otherwise the encrypted
 * key is skipped, and the authentication failure says how to give it.
 */
final class KeyPassphraseMixin {
    @Option(names = "--key-passphrase-env", paramLabel = "NAME",
            description = "Passphrase of encrypted key files, from the environment variable NAME (for cron and CI). "
                    + "Without it, exec asks on a terminal, once per key file; runs skip the key (use ssh-agent or this).")
    String fromEnv;

    @Option(names = "--key-passphrase-file", paramLabel = "FILE",
            description = "Passphrase of encrypted key files, from the first line of FILE, which must be readable by its owner only.")
    Path fromFile;

    boolean given() {
        return fromEnv != null || fromFile != null;
    }

    PasswordSupplier supplier(CliEnv env, boolean mayAsk) {
        if (fromEnv != null && fromFile != null) {
            throw new UsageException("give the key passphrase one way: --key-passphrase-env or --key-passphrase-file");
        }
        if (given()) {
            Optional<Secret> s = Optional.of(fromEnv != null ? SecretSources.fromEnv(env, "--key-passphrase-env", fromEnv)
                    : SecretSources.fromFile(env, "--key-passphrase-file", fromFile));
            return key -> s;
        }
        if (!mayAsk || !env.terminal()) {
            return PasswordSupplier.NONE;
        }
        return new AskedPassphrases(env.err(), prompt -> SecretSources.ask(env, prompt));
    }
}
