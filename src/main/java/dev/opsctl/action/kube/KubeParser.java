package dev.opsctl.action.kube;

import dev.opsctl.action.OperationKey;
import dev.opsctl.action.ParseContext;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import dev.opsctl.source.SourcePos;
import dev.opsctl.target.kube.KubeKinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/** Reads a {@code kube:} mapping: context, namespace, and exactly one operation key. */
final class KubeParser {
    static final List<String> OPERATIONS = List.of("get", "apply", "label", "annotate", "scale", "patch", "delete", "set_image",
            "rollout_status", "rollout_history", "rollout_undo", "wait", "exec", "logs", "events", "port_forward");
    static final Duration ROLLOUT_TIMEOUT = Duration.ofMinutes(10);
    static final Duration WAIT_TIMEOUT = Duration.ofMinutes(5);
    static final Duration DELETE_WAIT = Duration.ofMinutes(2);
    static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);
    static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(10);

    private final ParseContext ctx;

    private KubeParser(ParseContext ctx) {
        this.ctx = ctx;
    }

    static Optional<KubeSpec> parse(Node node, ParseContext ctx) {
        return new KubeParser(ctx).spec(node);
    }

    private Optional<KubeSpec> spec(Node node) {
        Optional<MapReader> reader = MapReader.of(node, "'kube'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        Optional<String> context = r.string("context");
        Optional<String> namespace = r.string("namespace");
        Optional<String> chosen = OperationKey.choose(r, "kube", OPERATIONS, Set.of("context", "namespace"),
                "kube: {get: {kind: Deployment, name: web}}", ctx.problems());
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        String key = chosen.get();
        Node value = r.node(key).orElseThrow();
        return op(key, value).map(op -> new KubeSpec(context, namespace, op));
    }

    private Optional<KubeOp> op(String key, Node value) {
        if (value instanceof ScalarNode s && !s.isNull() && Set.of("rollout_status", "rollout_history", "rollout_undo").contains(key)) {
            return Optional.of(switch (key) {
                case "rollout_status" -> new KubeOp.RolloutStatus(s.text(), ROLLOUT_TIMEOUT);
                case "rollout_history" -> new KubeOp.RolloutHistory(s.text());
                default -> new KubeOp.RolloutUndo(s.text(), Optional.empty());
            });
        }
        Optional<MapReader> reader = MapReader.of(value, "'" + key + "' in 'kube'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        Optional<KubeOp> op = switch (key) {
            case "get" -> Optional.of(new KubeOp.Get(ref(r, "", false), field(r), r.bool("optional").orElse(false)));
            case "apply" -> apply(r);
            case "label", "annotate" -> Optional.of(new KubeOp.Metadata(key.equals("label"), ref(r, "", false),
                    r.stringMap(key.equals("label") ? "labels" : "annotations")));
            case "scale" -> Optional.of(new KubeOp.Scale(ref(r, "Deployment", true), required(r, "replicas", "write replicas: 3")));
            case "patch" -> patch(r);
            case "delete" -> Optional.of(new KubeOp.Delete(ref(r, "", false), deleteWait(r), r.integer("grace_period")
                    .map(g -> OptionalLong.of(g)).orElse(OptionalLong.empty())));
            case "set_image" -> Optional.of(new KubeOp.SetImage(required(r, "deployment", "write deployment: web"),
                    required(r, "container", "write container: app"), required(r, "image", "write image: registry/app:1.2.4")));
            case "rollout_status" -> Optional.of(new KubeOp.RolloutStatus(required(r, "deployment", "write deployment: web"),
                    r.duration("timeout").orElse(ROLLOUT_TIMEOUT)));
            case "rollout_history" -> Optional.of(new KubeOp.RolloutHistory(required(r, "deployment", "write deployment: web")));
            case "rollout_undo" -> Optional.of(new KubeOp.RolloutUndo(required(r, "deployment", "write deployment: web"),
                    r.node("to_revision").isPresent() ? Optional.of(required(r, "to_revision", "write to_revision: 2")) : Optional.empty()));
            case "wait" -> waitOp(r);
            case "exec" -> Optional.of(new KubeOp.Exec(pod(r), r.string("container"), command(r), r.duration("timeout").orElse(EXEC_TIMEOUT)));
            case "logs" -> Optional.of(new KubeOp.Logs(pod(r), r.string("container"), r.bool("previous").orElse(false),
                    r.integer("tail").map(OptionalInt::of).orElse(OptionalInt.empty())));
            case "events" -> Optional.of(new KubeOp.Events(ref(r, "", true)));
            case "port_forward" -> portForward(r);
            default -> throw new IllegalStateException("no parser for " + key);
        };
        r.finish();
        return op;
    }

    private String required(MapReader r, String key, String hint) {
        if (r.node(key).isPresent() && r.node(key).get() instanceof ScalarNode s && s.kind() == ScalarNode.Kind.INT) {
            return s.text();
        }
        return r.requiredString(key, hint);
    }

    /** kind (required unless defaulted), api_version, and name or selector. */
    private KubeOp.Ref ref(MapReader r, String defaultKind, boolean nameRequired) {
        String kind = r.string("kind").orElse(defaultKind);
        Optional<String> api = r.string("api_version");
        if (kind.isEmpty()) {
            ctx.problems().error(r.pos(), "missing required key 'kind' in " + r.what(), "write kind: Deployment");
        } else if (api.isEmpty() && KubeKinds.find(kind).isEmpty() && !kind.contains("{{")) {
            ctx.problems().error(r.keyPos("kind"), "unknown kind '" + kind + "' in " + r.what(),
                    dev.opsctl.source.DidYouMean.closest(kind, KubeKinds.names()).map(c -> "did you mean '" + c + "'?")
                            .orElse("for a custom resource add api_version: group/version"));
        }
        String name = r.string("name").orElse("");
        String selector = r.string("selector").orElse("");
        if (name.isEmpty() && selector.isEmpty()) {
            ctx.problems().error(r.pos(), r.what() + " needs 'name'" + (nameRequired ? "" : " or 'selector'"), "write name: web");
        } else if (!name.isEmpty() && !selector.isEmpty()) {
            ctx.problems().error(r.keyPos("selector"), r.what() + " takes 'name' or 'selector', not both");
        } else if (nameRequired && name.isEmpty()) {
            ctx.problems().error(r.keyPos("selector"), r.what() + " needs 'name', not 'selector'", "write name: web");
        }
        return new KubeOp.Ref(kind, api.orElse(""), name, selector);
    }

    /** {@code pod: name} or {@code selector: app=web} (the first running pod it matches). */
    private KubeOp.Ref pod(MapReader r) {
        String name = r.string("pod").orElse("");
        String selector = r.string("selector").orElse("");
        if (name.isEmpty() == selector.isEmpty()) {
            ctx.problems().error(r.pos(), r.what() + " needs 'pod' or 'selector' (one of them)", "write pod: web-7d4b9c or selector: app=web");
        }
        return new KubeOp.Ref("Pod", "", name, selector);
    }

    private Optional<FieldPath> field(MapReader r) {
        Optional<String> text = r.string("field");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(FieldPath.parse(text.get()));
        } catch (IllegalArgumentException e) {
            ctx.problems().error(r.node("field").map(Node::pos).orElse(r.pos()), "'field' in " + r.what() + " is not a field path: "
                    + e.getMessage(), "write e.g. status.readyReplicas or status.conditions[type=Available].status");
            return Optional.empty();
        }
    }

    private Optional<KubeOp> apply(MapReader r) {
        Optional<Node> manifest = r.node("manifest");
        Optional<String> file = r.string("file");
        if (manifest.isPresent() == file.isPresent()) {
            ctx.problems().error(r.pos(), r.what() + " needs 'manifest' or 'file' (one of them)", "write file: k8s/deployment.yaml");
            return Optional.empty();
        }
        if (file.isPresent()) {
            Path p = ctx.baseDir().resolve(file.get());
            if (!file.get().contains("{{") && !Files.isRegularFile(p)) {
                ctx.problems().error(r.node("file").get().pos(), "manifest file '" + file.get() + "' does not exist (looked in '" + ctx.baseDir() + "')");
            }
            return Optional.of(new KubeOp.Apply(Optional.empty(), Optional.of(p)));
        }
        return body(manifest.get(), "manifest", r.what()).map(text -> new KubeOp.Apply(Optional.of(text), Optional.empty()));
    }

    private Optional<KubeOp> patch(MapReader r) {
        KubeOp.Ref ref = ref(r, "", true);
        String type = r.string("type").orElse("merge");
        if (!Set.of("json", "merge", "strategic").contains(type)) {
            ctx.problems().error(r.keyPos("type"), "'type' in " + r.what() + " must be json, merge or strategic, not '" + type + "'");
        }
        Optional<Node> body = r.node("patch");
        if (body.isEmpty()) {
            ctx.problems().error(r.pos(), "missing required key 'patch' in " + r.what(),
                    "write patch: {spec: {replicas: 3}} (merge) or a list of operations (json)");
            return Optional.empty();
        }
        if (type.equals("json") && !(body.get() instanceof SeqNode) && !(body.get() instanceof ScalarNode)) {
            ctx.problems().error(body.get().pos(), "a json patch is a list of operations", "write patch: [{op: replace, path: /spec/replicas, value: 3}]");
        }
        return body(body.get(), "patch", r.what()).map(text -> new KubeOp.Patch(ref, type, text));
    }

    /** A string is taken as written; a mapping or list is kept as a tree whose strings are templates. */
    private Optional<KubeOp.Body> body(Node n, String key, String what) {
        if (n instanceof ScalarNode s) {
            if (s.isNull() || s.kind() != ScalarNode.Kind.STRING) {
                ctx.problems().error(n.pos(), "'" + key + "' in " + what + " must be YAML/JSON text, a mapping or a list, not " + n.describe());
                return Optional.empty();
            }
            return Optional.of(new KubeOp.Body(Optional.of(s.text()), Optional.empty()));
        }
        return Optional.of(new KubeOp.Body(Optional.empty(), Optional.of(JsonText.plain(n))));
    }

    private Optional<Duration> deleteWait(MapReader r) {
        Optional<Node> n = r.node("wait");
        if (n.isEmpty()) {
            return Optional.empty();
        }
        if (n.get() instanceof ScalarNode s && s.kind() == ScalarNode.Kind.BOOL) {
            return r.bool("wait").orElse(false) ? Optional.of(DELETE_WAIT) : Optional.empty();
        }
        return r.duration("wait");
    }

    private Optional<KubeOp> waitOp(MapReader r) {
        KubeOp.Ref ref = ref(r, "", true);
        Optional<FieldPath> field = field(r);
        Optional<String> until = r.string("until");
        Optional<String> condition = r.string("condition");
        Duration timeout = r.duration("timeout").orElse(WAIT_TIMEOUT);
        if (until.isPresent() == condition.isPresent()) {
            ctx.problems().error(r.pos(), r.what() + " needs 'until' (a condition over value and object) or 'condition' (a condition type that must be True)",
                    "write condition: Available, or field: status.readyReplicas with until: \"value >= 3\"");
        }
        until.ifPresent(u -> ctx.checkCondition(u, r.node("until").get().pos(), Set.of("value", "object", "exists")));
        return Optional.of(new KubeOp.Wait(ref, field, until, condition, timeout));
    }

    /** {@code command: [sh, -c, "..."]} or a string split on spaces (no shell: the container may have none). */
    private List<String> command(MapReader r) {
        Optional<Node> n = r.node("command");
        if (n.isEmpty()) {
            ctx.problems().error(r.pos(), "missing required key 'command' in " + r.what(), "write command: [cat, /etc/hostname]");
            return List.of();
        }
        if (n.get() instanceof ScalarNode s && !s.isNull()) {
            return List.of(s.text().strip().split("\\s+"));
        }
        return r.stringList("command");
    }

    private Optional<KubeOp> portForward(MapReader r) {
        String pod = r.string("pod").orElse("");
        String service = r.string("service").orElse("");
        SourcePos at = r.pos();
        if (pod.isEmpty() == service.isEmpty()) {
            ctx.problems().error(at, r.what() + " needs 'pod' or 'service' (one of them)", "write service: web");
        }
        Optional<Integer> port = r.integer("port");
        if (port.isEmpty()) {
            ctx.problems().error(at, "missing required key 'port' in " + r.what(), "write port: 8000");
        }
        String path = r.string("path").orElse("/");
        int status = r.integer("expect_status").orElse(200);
        Duration timeout = r.duration("timeout").orElse(FORWARD_TIMEOUT);
        KubeOp.Ref ref = new KubeOp.Ref(pod.isEmpty() ? "Service" : "Pod", "", pod.isEmpty() ? service : pod, "");
        return Optional.of(new KubeOp.PortForward(ref, port.orElse(0), path.startsWith("/") ? path : "/" + path, status, timeout));
    }
}
