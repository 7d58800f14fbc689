package dev.opsctl.target.ssh;

import dev.opsctl.source.Secret;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Supplies the passphrase of an encrypted private key when it is first needed (e.g. by asking the
 * operator). Empty means "none available": the key is skipped. Must be thread-safe.
 */
@FunctionalInterface
public interface PasswordSupplier {
    PasswordSupplier NONE = key -> Optional.empty();

    Optional<Secret> passphrase(Path keyFile);

    /**
     * The passphrase last given for {@code keyFile} was wrong: whether to try again, with the
     * answer of the next {@link #passphrase} call. A fixed source would give the same wrong one.
     */
    default boolean retry(Path keyFile) {
        return false;
    }
}
