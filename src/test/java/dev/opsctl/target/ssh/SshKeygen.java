package dev.opsctl.target.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import org.junit.jupiter.api.Assumptions;

/** Host keys, CAs and host certificates made by OpenSSH's ssh-keygen in a directory, for unit tests. */
final class SshKeygen {
    private final Path dir;

    SshKeygen(Path dir) {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "OpenSSH's ssh-keygen is not installed");
        this.dir = dir;
    }

    /** A new key pair {@code name} and {@code name.pub} of {@code type}; returns the public key. */
    PublicKey key(String name, String type) throws Exception {
        OpenSshServer.run("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", dir.resolve(name).toString());
        return publicKey(name + ".pub");
    }

    /** The key (or certificate) in the public key file {@code file}. */
    PublicKey publicKey(String file) throws Exception {
        return new Buffer.PlainBuffer(blob(file)).readPublicKey();
    }

    byte[] blob(String file) throws Exception {
        return Base64.getDecoder().decode(Files.readString(dir.resolve(file), UTF_8).strip().split(" ")[1]);
    }

    /** A known_hosts line for {@code hosts} with the key in {@code name.pub}, after {@code marker} if not empty. */
    String line(String marker, String hosts, String name) throws Exception {
        String[] pub = Files.readString(dir.resolve(name + ".pub"), UTF_8).strip().split(" ");
        return (marker.isEmpty() ? "" : marker + " ") + hosts + " " + pub[0] + " " + pub[1] + "\n";
    }

    /** {@code ssh-keygen -l}'s fingerprint of {@code name.pub}. */
    String fingerprint(String name) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-f", dir.resolve(name + ".pub").toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        p.waitFor();
        return out.split(" ")[1];
    }

    /**
     * The host key {@code host} certified by the CA {@code ca} for {@code principals} (ssh-keygen's
     * {@code -n}; empty: any name) over {@code validity} ({@code -V}), with {@code options} (more
     * ssh-keygen arguments, {@code -O ...}).
     */
    PublicKey certificate(String ca, String host, String principals, String validity, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-s", dir.resolve(ca).toString(), "-I", "cert of " + host,
                "-h", "-V", validity));
        if (!principals.isEmpty()) {
            cmd.addAll(List.of("-n", principals));
        }
        cmd.addAll(List.of(options));
        cmd.add(dir.resolve(host + ".pub").toString());
        OpenSshServer.run(cmd.toArray(String[]::new));
        return publicKey(host + "-cert.pub");
    }
}
