package dev.opsctl.target.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.userauth.method.AuthMethod;

/**
 * The publickey methods of one login, in the order OpenSSH 9.2's ssh offers keys (pubkey_prepare
 * in sshconnect2.c): the agent's keys that are also identity files, in the agent's order and
 * signed by it; then the agent's other keys, unless IdentitiesOnly; then the identity files the
 * agent does not hold, in the config's order, each followed by the certificate beside it
 * ({@code -cert.pub}). Keys of a type ssh 9.2 does not offer (DSA), in the agent or in files, are
 * skipped, as ssh skips them ({@link OfferedKeyTypes}). Each key is offered once, however many ways it is named: sshd counts every
 * offer against its MaxAuthTries (6 by default), and a key tried twice (by the agent, then from its
 * file) could use up the tries that the right key needed.
 */
final class OfferedKeys {
    /** An identity file's key or its certificate, with its public blob when known without decoding. */
    private record FileKey(Path file, Optional<byte[]> blob, Optional<UserCertificate> certificate) {
        boolean is(byte[] other) {
            return blob.map(b -> Arrays.equals(b, other)).orElse(false);
        }
    }

    private OfferedKeys() {}

    /** The methods, in order; each key's entry (and each unusable one's reason) is added to {@code tried}. */
    static List<AuthMethod> of(SSHClient client, SshSettings s, List<String> tried) {
        List<FileKey> files = new ArrayList<>();
        for (Path f : s.identityFiles()) {
            files.add(new FileKey(f, IdentityBlobs.of(f), Optional.empty()));
            IdentityBlobs.certificate(f).ifPresent(c -> files.add(new FileKey(f, Optional.of(c.blob()), Optional.of(c))));
        }
        boolean[] held = new boolean[files.size()];
        List<AgentClient.Identity> named = new ArrayList<>();
        List<AgentClient.Identity> others = new ArrayList<>();
        Optional<AgentClient> agent = s.useAgent() ? s.agentSocket().map(AgentClient::new) : Optional.empty();
        if (agent.isPresent()) {
            try {
                for (AgentClient.Identity id : agent.get().identities()) {
                    if (!AgentAuthMethod.offered(id)) {
                        tried.add(AgentAuthMethod.label(id) + " (" + OfferedKeyTypes.notOffered(id.type()) + ")");
                        continue;
                    }
                    boolean isFile = false;
                    for (int i = 0; i < files.size(); i++) {
                        if (files.get(i).is(id.blob())) {
                            held[i] = true;
                            isFile = true;
                        }
                    }
                    (isFile ? named : others).add(id);
                }
            } catch (IOException e) {
                tried.add("ssh-agent at '" + agent.get().socket() + "' (unusable: " + SshErrors.message(e) + ")");
            }
        }
        List<AuthMethod> methods = new ArrayList<>();
        for (AgentClient.Identity id : named) {
            methods.add(new AgentAuthMethod(agent.get(), id, tried));
        }
        if (!s.identitiesOnly()) {
            for (AgentClient.Identity id : others) {
                methods.add(new AgentAuthMethod(agent.get(), id, tried));
            }
        }
        List<FileKey> offered = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            FileKey k = files.get(i);
            if (held[i] || k.blob().isPresent() && offered.stream().anyMatch(o -> o.is(k.blob().get()))) {
                continue;
            }
            offered.add(k);
            keyFile(client, s, k, tried).ifPresent(methods::add);
        }
        return methods;
    }

    /** The key type a public key blob names. */
    private static Optional<String> type(byte[] blob) {
        try {
            return Optional.of(new Buffer.PlainBuffer(blob).readString());
        } catch (Buffer.BufferException e) {
            return Optional.empty();
        }
    }

    private static Optional<AuthMethod> keyFile(SSHClient client, SshSettings s, FileKey key, List<String> tried) {
        Path file = key.file();
        String name = "'" + file + "'" + (key.certificate().isPresent() ? " (certificate)" : "");
        Optional<String> type = key.blob().flatMap(OfferedKeys::type);
        if (type.isPresent() && !OfferedKeyTypes.offered(type.get())) {
            tried.add(name + " (" + OfferedKeyTypes.notOffered(type.get()) + ")");
            return Optional.empty();
        }
        if (!Files.isReadable(file)) {
            tried.add(name + " (not readable)");
            return Optional.empty();
        }
        try {
            IdentityKeys.Memo keys = IdentityKeys.load(client, file, s.passphrases());
            return Optional.of(key.certificate().isPresent()
                    ? new KeyFileAuth(file, keys, key.certificate().get(), tried)
                    : new KeyFileAuth(file, keys, tried));
        } catch (IdentityKeys.Unusable e) {
            tried.add(name + " (" + e.why() + ")");
        } catch (IOException e) {
            tried.add(name + " (unusable: " + SshErrors.message(e) + ")");
        }
        return Optional.empty();
    }
}
