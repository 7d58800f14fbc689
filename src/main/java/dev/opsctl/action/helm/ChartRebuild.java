package dev.opsctl.action.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * The chart of a Helm release JSON written back as a chart directory: {@code Chart.yaml} from
 * {@code chart.metadata}, {@code values.yaml} from {@code chart.values}, every template and file from
 * their base64 {@code data}, {@code values.schema.json} from {@code chart.schema}. JSON is YAML, so the
 * metadata and values are written as JSON. Helm's release JSON does not carry subcharts (a chart's
 * dependencies are an unexported field in Go), so a chart with dependencies is refused.
 */
final class ChartRebuild {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChartRebuild() {}

    /** Writes the chart under {@code dir} (created 0700, files 0600: values may hold secrets); returns the chart directory. */
    static Path write(JsonNode release, Path dir) throws IOException {
        JsonNode chart = release.path("chart");
        JsonNode meta = chart.path("metadata");
        String name = meta.path("name").asText("");
        if (!meta.isObject() || name.isEmpty() || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IOException("the release JSON has no chart metadata with a name");
        }
        if (meta.path("dependencies").size() > 0) {
            throw new IOException("chart '" + name + "' has " + meta.path("dependencies").size() + " dependencies (subcharts), which Helm's "
                    + "release record does not keep; roll back with the chart version and values of that revision instead");
        }
        Path root = dir.resolve(name);
        mkdirs(root);
        write(root, "Chart.yaml", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
        write(root, "values.yaml", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(chart.path("values").isObject()
                ? chart.path("values") : JSON.createObjectNode()));
        if (chart.path("schema").isTextual() && !chart.path("schema").asText().isEmpty()) {
            write(root, "values.schema.json", Base64.getDecoder().decode(chart.path("schema").asText()));
        }
        for (String list : new String[] {"templates", "files"}) {
            for (JsonNode f : chart.path(list)) {
                write(root, f.path("name").asText(""), Base64.getDecoder().decode(f.path("data").asText("")));
            }
        }
        return root;
    }

    /** The user-supplied values ({@code config}) as a values file. */
    static Path writeConfig(JsonNode release, Path dir) throws IOException {
        JsonNode config = release.path("config").isObject() ? release.path("config") : JSON.createObjectNode();
        return write(dir, "config-values.yaml", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
    }

    private static Path write(Path root, String relative, byte[] content) throws IOException {
        Path p = root.resolve(relative).normalize();
        // names come from a Secret on the cluster: none may leave the chart directory
        if (relative.isEmpty() || Path.of(relative).isAbsolute() || !p.startsWith(root) || p.equals(root)) {
            throw new IOException("the release JSON names a chart file outside the chart: '" + relative + "'");
        }
        mkdirs(p.getParent());
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    private static void mkdirs(Path d) throws IOException {
        Files.createDirectories(d);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
    }
}
