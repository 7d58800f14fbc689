package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfferedKeysTest {
    @TempDir
    Path tmp;

    @Test
    void aDsaKeyFileIsNotOfferedAndTheListOfKeysTriedSaysWhyAsSshSkipsIt() throws Exception {
        SshKeygen keygen = new SshKeygen(tmp);
        keygen.key("id_dsa", "dsa");
        keygen.key("id_ed25519", "ed25519");
        SshSettings s = new SshSettings("h", "h", 22, "op", List.of(tmp.resolve("id_dsa"), tmp.resolve("id_ed25519")), false,
                Optional.empty(), List.of(), HostKeys.userFilesOnly(List.of(), false), Duration.ofSeconds(5), Duration.ofSeconds(30),
                PasswordSupplier.NONE, false, Optional.empty(), 3);
        List<String> tried = new ArrayList<>();
        // ssh -v, OpenSSH 9.2: no "Will attempt key" for id_dsa ("Skipping ssh-dss key ... not in PubkeyAcceptedAlgorithms")
        assertEquals(1, OfferedKeys.of(new SSHClient(new DefaultConfig()), s, tried).size());
        assertEquals(List.of("'" + tmp.resolve("id_dsa") + "' (not offered: OpenSSH 9.2 accepts no 'ssh-dss' keys)",
                "'" + tmp.resolve("id_ed25519") + "'"), tried);
    }
}
