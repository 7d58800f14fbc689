package dev.opsctl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code --version}: the jar manifest's Implementation-Version, else Maven's pom.properties, else
 * 'unknown' (running from classes). Needs no git.
 */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "opsctl " + version(),
            "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                    + System.getProperty("os.name").toLowerCase(Locale.ROOT) + " " + System.getProperty("os.arch"),
        };
    }

    static String version() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        try (InputStream in = VersionProvider.class.getResourceAsStream("/META-INF/maven/dev.opsctl/opsctl/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through: a version we cannot read is not worth failing --version for
        }
        return "unknown";
    }
}
