package dev.opsctl.target.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/**
 * An identity file's publickey method. Its key is decoded, and its passphrase asked for, in the
 * connecting thread just before the method is tried: inside sshj the decoding would run on the
 * transport's reader thread under the authentication timeout, so an operator typing for longer than
 * ConnectTimeout failed every host as "refused". A key that cannot be decoded is not offered, and
 * its entry in the list of what was tried says why.
 */
final class KeyFileAuth extends AuthPublickey {
    private final Path file;
    private final KeyProvider keys;
    private final List<String> tried;
    private final int entry;

    KeyFileAuth(Path file, KeyProvider keys, List<String> tried) {
        super(keys);
        this.file = file;
        this.keys = keys;
        this.tried = tried;
        this.entry = tried.size();
        tried.add("'" + file + "'");
    }

    /** Decodes the key now; false, with the reason in the tried list, when it cannot sign. */
    boolean usable() {
        try {
            keys.getPrivate();
            keys.getPublic();
            return true;
        } catch (IdentityKeys.Unusable e) {
            tried.set(entry, "'" + file + "' (" + e.why() + ")");
        } catch (IOException | SSHRuntimeException e) {
            tried.set(entry, "'" + file + "' (unusable: " + SshErrors.message(e) + ")");
        }
        return false;
    }
}
