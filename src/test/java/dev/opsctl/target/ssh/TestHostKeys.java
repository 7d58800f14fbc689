package dev.opsctl.target.ssh;

import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;

/** Two fixed ed25519 host keys, as known_hosts writes them, for the host key tests. */
final class TestHostKeys {
    static final String KEY_A = "AAAAC3NzaC1lZDI1NTE5AAAAIMkCjKJ6Bx81HzcoQJDkRXRN+231D0QVuHR73pVXk0ZE";
    static final String KEY_B = "AAAAC3NzaC1lZDI1NTE5AAAAIKor3pGmJ0fzqc39CEiXjN7IzRceHf/8AYH1cP7llcqT";

    private TestHostKeys() {}

    static PublicKey key(String blob) throws Exception {
        return new Buffer.PlainBuffer(Base64.getDecoder().decode(blob)).readPublicKey();
    }
}
