package dev.opsctl.cli;

import picocli.CommandLine;

/** {@code --version} on any command; see {@link Version}. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return Version.lines().toArray(String[]::new);
    }
}
