package dev.opsctl.action.helm;

import dev.opsctl.action.OperationKey;
import dev.opsctl.action.ParseContext;
import dev.opsctl.source.DidYouMean;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a {@code helm:} mapping: context, namespace, and exactly one operation key. */
final class HelmParser {
    static final List<String> OPERATIONS = List.of("install", "upgrade", "uninstall", "rollback", "status", "history", "template", "lint");
    /** Helm's own default for --timeout. */
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final ParseContext ctx;
    private Optional<String> viaTemplate = Optional.empty();

    private HelmParser(ParseContext ctx) {
        this.ctx = ctx;
    }

    static Optional<HelmSpec> parse(Node node, ParseContext ctx) {
        return new HelmParser(ctx).spec(node);
    }

    private Optional<HelmSpec> spec(Node node) {
        Optional<MapReader> reader = MapReader.of(node, "'helm'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        Optional<String> context = r.string("context");
        Optional<String> namespace = r.string("namespace");
        Optional<String> chosen = OperationKey.choose(r, "helm", OPERATIONS, Set.of("context", "namespace"),
                "helm: {template: {release: web, chart: charts/web}}", ctx.problems());
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        String key = chosen.get();
        Optional<MapReader> opReader = MapReader.of(r.node(key).orElseThrow(), "'" + key + "' in 'helm'", ctx.problems());
        if (opReader.isEmpty()) {
            return Optional.empty();
        }
        MapReader o = opReader.get();
        HelmOp op = op(key, o);
        o.finish();
        return Optional.of(new HelmSpec(context, namespace, ctx.baseDir(), op, viaTemplate));
    }

    private HelmOp op(String key, MapReader r) {
        return switch (key) {
            case "install", "upgrade" -> {
                String release = release(r);
                HelmOp.Chart chart = chart(r);
                boolean install = key.equals("upgrade") && r.bool("install").orElse(false);
                yield new HelmOp.Deploy(key.equals("upgrade"), release, chart, r.bool("create_namespace").orElse(false),
                        r.bool("wait").orElse(false), r.bool("atomic").orElse(false), r.duration("timeout").orElse(TIMEOUT), install, via(r));
            }
            case "uninstall" -> new HelmOp.Uninstall(release(r), via(r), r.bool("wait").orElse(false), r.duration("timeout").orElse(TIMEOUT));
            case "rollback" -> {
                HelmOp.Rollback rb = new HelmOp.Rollback(release(r), r.integer("revision").orElse(0), r.bool("wait").orElse(false),
                        r.duration("timeout").orElse(TIMEOUT), via(r));
                if (rb.revision() < 0) {
                    ctx.problems().error(r.keyPos("revision"), "'revision' in " + r.what() + " must be 1 or more (0 or absent: the previous one)");
                }
                yield rb;
            }
            case "status" -> new HelmOp.Status(release(r), via(r));
            case "history" -> new HelmOp.History(release(r), via(r));
            case "template" -> new HelmOp.Template(release(r), chart(r));
            case "lint" -> new HelmOp.Lint(chart(r));
            default -> throw new IllegalStateException("no parser for " + key);
        };
    }

    private String release(MapReader r) {
        return r.requiredString("release", "write release: web");
    }

    private HelmOp.Chart chart(MapReader r) {
        String chart = r.requiredString("chart", "write chart: charts/web (a chart directory or .tgz, relative to the runbook)");
        if (!chart.isEmpty()) {
            checkExists(r, "chart", chart, "chart");
        }
        List<String> values = r.stringList("values");
        for (String v : values) {
            checkExists(r, "values", v, "values file");
        }
        return new HelmOp.Chart(chart, values, r.stringMap("set"), r.string("name_override"));
    }

    private void checkExists(MapReader r, String key, String path, String what) {
        if (path.contains("{{")) {
            return;
        }
        Path p = ctx.baseDir().resolve(path);
        if (!Files.exists(p)) {
            ctx.problems().error(r.node(key).map(Node::pos).orElse(r.pos()), what + " '" + path + "' does not exist (looked in '"
                    + ctx.baseDir() + "')");
        }
    }

    private HelmOp.Via via(MapReader r) {
        Optional<String> v = r.string("via");
        if (v.isEmpty() || v.get().equals("helm")) {
            return HelmOp.Via.HELM;
        }
        if (v.get().equals("kube")) {
            return HelmOp.Via.KUBE;
        }
        if (v.get().contains("{{")) {
            // a runbook param (helm on a real cluster, kube in tests): rendered when the step runs
            viaTemplate = v;
            return HelmOp.Via.HELM;
        }
        ctx.problems().error(r.node("via").map(Node::pos).orElse(r.pos()), "'via' in " + r.what() + " must be helm or kube, not '" + v.get() + "'");
        return HelmOp.Via.HELM;
    }
}
