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
}
