package dev.opsctl.cli;

import dev.opsctl.source.Secret;
import dev.opsctl.target.ssh.PasswordSupplier;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Key passphrases asked on the terminal as OpenSSH asks them: once per key file however many hosts
 * use it (hosts connect in parallel: the first asks, the others wait for its answer), and again after
 * a wrong one, three tries in all.
 */
final class AskedPassphrases implements PasswordSupplier {
    private static final int TRIES = 3;

    private final PrintStream err;
    private final Function<String, Optional<Secret>> ask;
    private final Map<Path, Optional<Secret>> answers = new HashMap<>();
    private final Map<Path, Integer> wrong = new HashMap<>();

    AskedPassphrases(PrintStream err, Function<String, Optional<Secret>> ask) {
        this.err = err;
        this.ask = ask;
    }

    @Override
    public synchronized Optional<Secret> passphrase(Path keyFile) {
        return answers.computeIfAbsent(keyFile, k -> ask.apply("passphrase for key '" + k + "': "));
    }

    @Override
    public synchronized boolean retry(Path keyFile) {
        if (wrong.merge(keyFile, 1, Integer::sum) >= TRIES) {
            err.println("bad passphrase for key '" + keyFile + "': giving up on it after " + TRIES + " tries");
            return false;
        }
        err.println("bad passphrase for key '" + keyFile + "', try again");
        answers.remove(keyFile);
        return true;
    }
}
