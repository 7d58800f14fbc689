package dev.opsctl.cli;

import dev.opsctl.target.ssh.SshSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How an SSH host will be reached, as {@code opsctl inventory show} prints it: what {@code ssh -G} tells an operator. */
final class SshRoute {
    private SshRoute() {}

    static void print(SshSettings s, String configFiles, PrintWriter out) {
        out.println("ssh:        " + s.endpoint() + "  (ssh config: " + configFiles + ")");
        if (!s.jumps().isEmpty()) {
            out.println("  via:      " + String.join(" -> ", s.jumps().stream().map(SshSettings::endpoint).toList()));
        }
        List<String> keys = new ArrayList<>(s.identityFiles().stream().map(Path::toString).toList());
        if (s.useAgent()) {
            keys.add("ssh-agent" + (s.identitiesOnly() ? " (only for these keys)" : ""));
        }
        out.println("  keys:     " + (keys.isEmpty() ? "none" : String.join(", ", keys)));
        out.println("  known_hosts: " + (s.knownHostsFiles().isEmpty() ? "none"
                : String.join(", ", s.knownHostsFiles().stream().map(Path::toString).toList()))
                + (s.acceptNewHostKeys() ? " (accept-new)" : ""));
        s.refusal().ifPresent(why -> out.println("  refused:  " + why));
    }
}
