package dev.opsctl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * What {@code --version} prints: the jar manifest's Implementation-Version, else Maven's
 * pom.properties, else 'unknown' (running from classes); needs no git. Free of picocli so that
 * {@code opsctl --version} can answer before the command tree is built.
 */
final class Version {
    private Version() {}

    static List<String> lines() {
        return List.of(
                "opsctl " + version(),
                "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                        + System.getProperty("os.name").toLowerCase(Locale.ROOT) + " " + System.getProperty("os.arch"));
    }

    static String version() {
        String v = Version.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        try (InputStream in = Version.class.getResourceAsStream("/META-INF/maven/dev.opsctl/opsctl/pom.properties")) {
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
