package dev.opsctl.target.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a host's key is looked up, and under which name: the user's known_hosts files (accept-new
 * records into the first; none at all is OpenSSH's {@code UserKnownHostsFile none}), the system's
 * files (read, never written), and the name to look up instead of the host's ({@code HostKeyAlias},
 * without a port, as in OpenSSH); whether a key accept-new records is written hashed
 * ({@code HashKnownHosts yes}, Debian's default).
 */
record HostKeys(List<Path> userFiles, List<Path> globalFiles, Optional<String> alias, boolean acceptNew, boolean hashRecorded) {
    /** OpenSSH's GlobalKnownHostsFile default. */
    static final List<Path> SYSTEM_FILES = List.of(Path.of("/etc/ssh/ssh_known_hosts"), Path.of("/etc/ssh/ssh_known_hosts2"));

    HostKeys {
        userFiles = List.copyOf(userFiles);
        globalFiles = List.copyOf(globalFiles);
    }

    static HostKeys userFilesOnly(List<Path> files, boolean acceptNew) {
        return new HostKeys(files, List.of(), Optional.empty(), acceptNew, false);
    }
}
