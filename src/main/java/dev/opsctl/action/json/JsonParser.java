package dev.opsctl.action.json;

import dev.opsctl.action.ParseContext;
import dev.opsctl.source.MapNode;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a {@code json:} mapping; the {@code set} value becomes plain maps, lists and scalars. */
final class JsonParser {
    private JsonParser() {}

    static Optional<JsonSpec> parse(Node node, ParseContext ctx) {
        Optional<MapReader> reader = MapReader.of(node, "'json'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        String path = r.requiredString("path", "write path: /etc/docker/daemon.json");
        Map<String, Object> set = new LinkedHashMap<>();
        r.node("set").ifPresent(n -> {
            if (n instanceof MapNode m) {
                m.entries().forEach((k, e) -> set.put(k, plain(e.value())));
            } else {
                ctx.problems().error(n.pos(), "'set' in 'json' must be a mapping of keys to values, not " + n.describe(),
                        "write set: {userns-remap: default}");
            }
        });
        List<String> remove = r.stringList("remove");
        if (set.isEmpty() && remove.isEmpty() && r.has("path")) {
            ctx.problems().error(r.pos(), "'json' changes nothing: give 'set' or 'remove'");
        }
        Optional<Integer> mode = dev.opsctl.action.copy.FileModes.parse(r, "mode");
        JsonSpec spec = new JsonSpec(path, set, remove, r.bool("create").orElse(true), r.bool("backup").orElse(false), mode);
        r.finish();
        return Optional.of(spec);
    }

    private static Object plain(Node n) {
        if (n instanceof MapNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> out.put(k, plain(e.value())));
            return out;
        }
        if (n instanceof SeqNode s) {
            List<Object> out = new ArrayList<>();
            s.items().forEach(i -> out.add(plain(i)));
            return out;
        }
        ScalarNode s = (ScalarNode) n;
        return switch (s.kind()) {
            case INT -> Long.parseLong(s.text());
            case FLOAT -> Double.parseDouble(s.text());
            case BOOL -> Boolean.parseBoolean(s.text());
            case NULL -> com.fasterxml.jackson.databind.node.NullNode.getInstance();
            case STRING -> s.text();
        };
    }
}
