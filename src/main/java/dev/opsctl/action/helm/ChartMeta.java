package dev.opsctl.action.helm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A chart's name, version and appVersion from its {@code Chart.yaml} (in a directory or a .tgz), for
 * release records. Reads the top-level keys only; a chart Helm rendered has them. Empty when unreadable.
 */
record ChartMeta(String name, String version, String appVersion) {
    static ChartMeta of(Path chart) {
        try {
            if (Files.isDirectory(chart)) {
                return parse(Files.readString(chart.resolve("Chart.yaml")));
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(chart))) {
                return parse(chartYamlInTar(in));
            }
        } catch (IOException | RuntimeException e) {
            return new ChartMeta("", "", "");
        }
    }

    /** The first {@code <dir>/Chart.yaml} of a tar stream (the chart's own; subcharts' are deeper). */
    private static String chartYamlInTar(InputStream in) throws IOException {
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
            String name = new String(header, 0, 100, StandardCharsets.UTF_8).replace("\0", "");
            long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").strip(), 8);
            byte[] body = in.readNBytes((int) size);
            in.skipNBytes((512 - size % 512) % 512);
            if (name.matches("[^/]+/Chart\\.yaml")) {
                return new String(body, StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    static ChartMeta parse(String chartYaml) {
        String name = "";
        String version = "";
        String appVersion = "";
        for (String line : chartYaml.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.isEmpty() || Character.isWhitespace(line.charAt(0))) {
                continue;
            }
            String v = unquote(line.substring(colon + 1));
            switch (line.substring(0, colon).strip()) {
                case "name" -> name = v;
                case "version" -> version = v;
                case "appVersion" -> appVersion = v;
                default -> { }
            }
        }
        return new ChartMeta(name, version, appVersion);
    }

    private static String unquote(String s) {
        String t = s.strip();
        int hash = t.indexOf(" #");
        t = hash >= 0 ? t.substring(0, hash).strip() : t;
        if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }

    /** {@code hello-1.0.0}, as Helm shows a release's chart. */
    String label() {
        return version.isEmpty() ? name : name + "-" + version;
    }
}
