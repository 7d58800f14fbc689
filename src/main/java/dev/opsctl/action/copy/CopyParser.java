package dev.opsctl.action.copy;

import dev.opsctl.action.ParseContext;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a {@code copy:} or {@code template:} mapping: exactly one of {@code src} and {@code content}, and {@code dest}. */
public final class CopyParser {
    private CopyParser() {}

    public static Optional<CopySpec> parse(String type, Node node, ParseContext ctx) {
        Optional<MapReader> reader = MapReader.of(node, "'" + type + "'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        Optional<String> src = r.string("src");
        Optional<String> content = r.string("content");
        if (r.has("src") && r.has("content")) {
            ctx.problems().error(r.keyPos("content"), "'" + type + "' takes 'src' or 'content', not both");
        } else if (!r.has("src") && !r.has("content")) {
            ctx.problems().error(r.pos(), "'" + type + "' needs 'src' (a file beside the runbook) or 'content'",
                    "write " + type + ": {src: files/daemon.json, dest: /etc/docker/daemon.json}");
        }
        Optional<Path> file = src.map(s -> ctx.baseDir().resolve(s).normalize());
        if (file.isPresent() && !Files.isRegularFile(file.get())) {
            ctx.problems().error(r.node("src").map(Node::pos).orElse(r.pos()),
                    "'" + src.get() + "' not found (looked for '" + file.get() + "')", "'src' is relative to the runbook's directory");
        }
        String dest = r.requiredString("dest", "write dest: /etc/app/app.conf");
        if (r.has("dest") && dest.isBlank()) {
            ctx.problems().error(r.keyPos("dest"), "'dest' in '" + type + "' is empty");
        }
        Optional<Integer> mode = FileModes.parse(r, "mode");
        CopySpec spec = new CopySpec(file, src.orElse(""), content, dest, mode, r.string("owner"), r.string("group"),
                r.bool("backup").orElse(false));
        r.finish();
        return Optional.of(spec);
    }
}
