package dev.opsctl.action.docker;

import dev.opsctl.action.ParseContext;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a {@code docker:} mapping: exactly one operation key, plus {@code expect} and {@code socket}. */
final class DockerParser {
    static final List<String> OPS = List.of("info", "ps", "stop", "run", "inspect", "exec", "image", "wait");
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
    static final Duration EXEC_TIMEOUT = Duration.ofMinutes(5);
    static final Duration IMAGE_TIMEOUT = Duration.ofMinutes(10);
    static final Duration WAIT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration WAIT_INTERVAL = Duration.ofSeconds(2);
    static final String DEFAULT_SOCKET = "/var/run/docker.sock";

    private DockerParser() {}

    static Optional<DockerSpec> parse(Node node, ParseContext ctx) {
        Optional<MapReader> reader = MapReader.of(node, "'docker'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        OPS.forEach(r::has);
        List<String> present = new ArrayList<>();
        for (String key : r.node().entries().keySet()) {
            if (OPS.contains(key)) {
                present.add(key);
            }
        }
        if (present.size() != 1) {
            ctx.problems().error(present.size() > 1 ? r.keyPos(present.get(1)) : r.pos(),
                    "'docker' takes exactly one operation, " + (present.isEmpty() ? "none was given" : "not '" + String.join("' and '", present) + "'"),
                    "write one of: " + String.join(", ", OPS) + " (e.g. docker: {ps: {label: workspace}})");
        }
        Optional<String> expect = r.string("expect");
        r.node("expect").ifPresent(n -> expect.ifPresent(e -> ctx.checkCondition(e, n.pos(), DockerActionType.FIELDS)));
        String socket = r.string("socket").orElse(DEFAULT_SOCKET);
        if (!socket.startsWith("/")) {
            ctx.problems().error(r.keyPos("socket"), "'socket' in 'docker' must be an absolute path on the host, not '" + socket + "'");
        }
        Optional<DockerOp> op = present.size() == 1 ? op(present.get(0), r, ctx) : Optional.empty();
        r.finish();
        return op.map(o -> new DockerSpec(o, expect, socket));
    }

    private static Optional<DockerOp> op(String key, MapReader parent, ParseContext ctx) {
        Node n = parent.node(key).orElseThrow();
        if (key.equals("info") && n instanceof ScalarNode s && s.isNull()) {
            return Optional.of(new DockerOp.Info());
        }
        Optional<MapReader> reader = MapReader.of(n, "'" + key + "' in 'docker'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        DockerOp op = switch (key) {
            case "info" -> new DockerOp.Info();
            case "ps" -> new DockerOp.Ps(r.stringList("label"), r.bool("all").orElse(false));
            case "stop" -> stop(r);
            case "run" -> run(r);
            case "inspect" -> new DockerOp.Inspect(r.requiredString("container", "write container: <name or id>"),
                    r.requiredString("field", "write field: State.Pid (Docker's inspect path)"));
            case "exec" -> new DockerOp.Exec(r.requiredString("container", "write container: <name or id>"), command(r, true),
                    r.duration("timeout").orElse(EXEC_TIMEOUT));
            case "image" -> image(r, ctx);
            case "wait" -> wait(r);
            default -> throw new IllegalStateException(key);
        };
        r.finish();
        return Optional.of(op);
    }

    private static DockerOp stop(MapReader r) {
        List<String> labels = r.stringList("label");
        List<String> ids = r.stringList("ids");
        if (labels.isEmpty() == ids.isEmpty()) {
            r.problems().error(r.pos(), "'stop' in 'docker' takes either 'label' or 'ids', not " + (labels.isEmpty() ? "neither" : "both"),
                    "write stop: {label: workspace, timeout: 5m}");
        }
        return new DockerOp.Stop(labels, ids, r.duration("timeout").orElse(STOP_TIMEOUT), r.bool("force_after").orElse(true));
    }

    private static DockerOp run(MapReader r) {
        String image = r.requiredString("image", "write image: workspace-base:latest");
        List<String> command = command(r, false);
        Optional<String> user = r.string("user");
        var labels = r.stringMap("labels");
        Optional<String> network = r.string("network");
        boolean rm = r.bool("rm").orElse(true);
        boolean detach = r.bool("detach").orElse(false);
        Optional<String> name = r.string("name");
        Optional<String> expectOutput = r.string("expect_output");
        if (detach && expectOutput.isPresent()) {
            r.problems().error(r.keyPos("expect_output"), "'expect_output' needs the output, which a 'detach: true' run does not wait for");
        }
        return new DockerOp.Run(image, command, user, labels, network, rm, detach, name, expectOutput,
                r.duration("timeout").orElse(RUN_TIMEOUT), r.string("runtime"));
    }

    /** {@code command: [id, -u]} is an argv; {@code command: "id -u; echo"} runs through {@code sh -c}. */
    private static List<String> command(MapReader r, boolean required) {
        Optional<Node> n = r.node("command");
        if (n.isEmpty()) {
            if (required) {
                r.problems().error(r.pos(), "missing required key 'command' in " + r.what(), "write command: [cat, /etc/hostname]");
            }
            return List.of();
        }
        if (n.get() instanceof ScalarNode s && !s.isNull()) {
            return List.of("sh", "-c", s.text());
        }
        List<String> argv = r.stringList("command");
        if (required && argv.isEmpty()) {
            r.problems().error(n.get().pos(), "'command' in " + r.what() + " must not be empty");
        }
        return argv;
    }

    private static DockerOp image(MapReader r, ParseContext ctx) {
        String name = r.requiredString("name", "write name: workspace-base:latest");
        Optional<String> load = r.string("load");
        Optional<Path> upload = r.string("upload").map(u -> ctx.baseDir().resolve(u).normalize());
        boolean pull = r.bool("pull").orElse(false);
        if (load.isPresent() && upload.isPresent()) {
            r.problems().error(r.keyPos("upload"), "'image' in 'docker' takes 'load' (a tar on the host) or 'upload' (a tar here), not both");
        }
        load.filter(l -> !l.startsWith("/") && !l.contains("{{")).ifPresent(l ->
                r.problems().error(r.keyPos("load"), "'load' in 'image' must be an absolute path on the host, not '" + l + "'",
                        "for a tar on this machine, write upload: " + l));
        return new DockerOp.Image(name, load, upload, pull, r.duration("timeout").orElse(IMAGE_TIMEOUT));
    }

    private static DockerOp wait(MapReader r) {
        Duration interval = r.duration("interval").orElse(WAIT_INTERVAL);
        if (interval.isZero()) {
            r.problems().error(r.keyPos("interval"), "'interval' in 'wait' must be longer than 0s");
        }
        return new DockerOp.Wait(r.duration("timeout").orElse(WAIT_TIMEOUT), interval);
    }
}
