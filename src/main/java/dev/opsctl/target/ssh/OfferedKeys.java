package dev.opsctl.target.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.method.AuthMethod;

/**
 * The publickey methods of one login, in the order OpenSSH 9.2's ssh offers keys (pubkey_prepare
 * in sshconnect2.c): the agent's keys that are also identity files, in the agent's order and
 * signed by it; then the agent's other keys, unless IdentitiesOnly; then the identity files the
 * agent does not hold, in the config's order. Each key is offered once, however many ways it is
 * named: sshd counts every offer against its MaxAuthTries (6 by default), and a key tried twice
 * (by the agent, then from its file) could use up the tries that the right key needed.
 */
final class OfferedKeys {
    private OfferedKeys() {}

    /** The methods, in order; each key's entry (and each unusable one's reason) is added to {@code tried}. */
    static List<AuthMethod> of(SSHClient client, SshSettings s, List<String> tried) {
        List<Path> files = s.identityFiles();
        List<Optional<byte[]>> fileBlobs = new ArrayList<>(files.size());
        for (Path f : files) {
            fileBlobs.add(IdentityBlobs.of(f));
        }
        boolean[] held = new boolean[files.size()];
        List<AgentClient.Identity> named = new ArrayList<>();
        List<AgentClient.Identity> others = new ArrayList<>();
        Optional<AgentClient> agent = s.useAgent() ? s.agentSocket().map(AgentClient::new) : Optional.empty();
        if (agent.isPresent()) {
            try {
                for (AgentClient.Identity id : agent.get().identities()) {
                    boolean isFile = false;
                    for (int i = 0; i < files.size(); i++) {
                        if (fileBlobs.get(i).map(b -> Arrays.equals(b, id.blob())).orElse(false)) {
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
            methods.add(agentKey(agent.get(), id, tried));
        }
        if (!s.identitiesOnly()) {
            for (AgentClient.Identity id : others) {
                methods.add(agentKey(agent.get(), id, tried));
            }
        }
        List<byte[]> offered = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Optional<byte[]> blob = fileBlobs.get(i);
            if (held[i] || blob.isPresent() && offered.stream().anyMatch(b -> Arrays.equals(b, blob.get()))) {
                continue;
            }
            blob.ifPresent(offered::add);
            keyFile(client, s, files.get(i), tried).ifPresent(methods::add);
        }
        return methods;
    }

    private static AuthMethod agentKey(AgentClient agent, AgentClient.Identity id, List<String> tried) {
        return new AgentAuthMethod(agent, id, tried);
    }

    private static Optional<AuthMethod> keyFile(SSHClient client, SshSettings s, Path file, List<String> tried) {
        if (!Files.isReadable(file)) {
            tried.add("'" + file + "' (not readable)");
            return Optional.empty();
        }
        try {
            return Optional.of(new KeyFileAuth(file, IdentityKeys.load(client, file, s.passphrases()), tried));
        } catch (IdentityKeys.Unusable e) {
            tried.add(e.getMessage());
        } catch (IOException e) {
            tried.add("'" + file + "' (unusable: " + SshErrors.message(e) + ")");
        }
        return Optional.empty();
    }
}
