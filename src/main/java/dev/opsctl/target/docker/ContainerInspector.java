package dev.opsctl.target.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code docker inspect --format '{{.State.Pid}}'}: reads the daemon's own JSON (not docker-java's
 * model, which renames and drops fields) so that every path Docker documents works.
 */
final class ContainerInspector {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DaemonConnection daemon;

    ContainerInspector(DaemonConnection daemon) {
        this.daemon = daemon;
    }

    Optional<Object> field(String container, String field) throws TargetException, InterruptedException {
        JsonNode node = json(container).orElseThrow(() -> noSuchContainer(container));
        for (String part : path(field)) {
            node = node.isArray() && part.matches("\\d+") ? node.path(Integer.parseInt(part)) : node.path(part);
        }
        return node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(plain(node));
    }

    TargetException noSuchContainer(String container) {
        return TargetException.remoteFailed(daemon.host(), "docker on host '" + daemon.host() + "': no such container '" + container + "'");
    }

    /** The whole {@code GET /containers/ID/json}, or empty when there is no such container. */
    Optional<JsonNode> json(String container) throws TargetException, InterruptedException {
        return json(container, Optional.empty());
    }

    /** As {@link #json(String)}, read after changes {@code changed} says what they may have left of ({@link DaemonConnection#read}). */
    Optional<JsonNode> json(String container, Optional<String> changed) throws TargetException, InterruptedException {
        if (!container.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            return Optional.empty();
        }
        DockerHttpClient http = daemon.http();
        return Optional.ofNullable(daemon.read("inspecting container '" + container + "'", changed, c -> {
            DockerHttpClient.Request req = DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.GET).path("/containers/" + container + "/json").build();
            try (DockerHttpClient.Response r = http.execute(req); InputStream body = r.getBody()) {
                if (r.getStatusCode() == 404) {
                    return null;
                }
                if (r.getStatusCode() != 200) {
                    throw new DockerException(new String(body.readAllBytes(), StandardCharsets.UTF_8).strip(), r.getStatusCode());
                }
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    /** {@code State.Pid}, {@code .State.Pid} and {@code {{.State.Pid}}} all name the same field. */
    static List<String> path(String field) {
        String f = field.strip();
        if (f.startsWith("{{") && f.endsWith("}}")) {
            f = f.substring(2, f.length() - 2).strip();
        }
        if (f.startsWith(".")) {
            f = f.substring(1);
        }
        return f.isEmpty() ? List.of() : List.of(f.split("\\."));
    }

    static Object plain(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            n.forEach(item -> out.add(item.isNull() ? "" : plain(item)));
            return out;
        }
        if (n.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            n.properties().forEach(e -> out.put(e.getKey(), e.getValue().isNull() ? "" : plain(e.getValue())));
            return out;
        }
        return n.asText();
    }
}
