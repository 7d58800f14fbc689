package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.KeyType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class HostKeyAlgorithmsTest {
    private static List<String> offered() {
        return Factory.Named.Util.getNames(SshConnector.config().getKeyAlgorithms());
    }

    @Test
    void theHostKeyAlgorithmsAreOpenSsh92sWithoutDsaOrSha1() throws Exception {
        assertEquals(HostKeyAlgorithms.NAMES, offered());
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh")), "OpenSSH's ssh is not installed");
        Process p = new ProcessBuilder("ssh", "-F", "none", "-G", "example.com").redirectErrorStream(true).start();
        String config = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), config);
        String line = config.lines().filter(l -> l.startsWith("hostkeyalgorithms ")).findFirst().orElseThrow();
        List<String> ssh = Arrays.stream(line.substring("hostkeyalgorithms ".length()).split(","))
                .filter(a -> !a.startsWith("sk-")) // security keys: sshj cannot verify them
                .toList();
        assertEquals(ssh, offered());
    }

    @Test
    void anRsaUserKeyStillSignsWithSha2AndNeverWithSha1() throws Exception {
        try (SSHClient client = new SSHClient(SshConnector.config())) {
            List<String> rsa = client.getTransport().getClientKeyAlgorithms(KeyType.RSA).stream()
                    .map(a -> a.getKeyAlgorithm()).toList();
            assertEquals(List.of("rsa-sha2-512", "rsa-sha2-256"), rsa);
        }
    }
}
