package dev.opsctl.action.restore;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.backup.BackupScripts;
import dev.opsctl.action.backup.Manifest;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.TargetException;
import dev.opsctl.template.TemplateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code restore}: puts back what a {@code backup} step saved. Every copy is verified against its
 * recorded sha256 before anything is touched, so a damaged backup fails the step with the host
 * unchanged; each path is then replaced by a rename and checked again.
 */
public final class RestoreActionType implements ActionType<RestoreSpec> {
    @Override
    public String name() {
        return "restore";
    }

    @Override
    public String description() {
        return "Restores what a backup step saved: 'from: <backup step id>' takes every path that step recorded, or "
                + "'paths' maps originals to copies explicitly. Before anything is changed, every copy's sha256 is checked "
                + "against the one recorded at backup time; a mismatch fails the step and nothing is restored. Each path "
                + "is then copied beside the original and renamed over it (with 'cp -a', keeping mode and owner) and "
                + "checked again; a directory is swapped by two renames, and if the second fails the original is moved "
                + "back (or the error says where it was left). A path that is a symlink is restored into what it points "
                + "to, so the link stays a link. A path that was absent at backup time is removed. Usually a rollback step.";
    }

    @Override
    public String example() {
        return """
                id: restore-config
                restore:
                  from: backup-config
                sudo: true
                """;
    }

    @Override
    public Optional<RestoreSpec> parse(Node node, ParseContext ctx) {
        Optional<MapReader> reader = MapReader.of(node, "'restore'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        Optional<String> from = r.string("from");
        Map<String, String> paths = r.stringMap("paths");
        if (r.has("from") == r.has("paths")) {
            ctx.problems().error(r.pos(), "'restore' takes either 'from' (a backup step's id) or 'paths', not "
                    + (r.has("from") ? "both" : "neither"), "write restore: {from: backup-config}");
        }
        if (r.has("paths") && paths.isEmpty()) {
            ctx.problems().error(r.keyPos("paths"), "'paths' in 'restore' is empty");
        }
        r.finish();
        return Optional.of(new RestoreSpec(from, new TreeMap<>(paths)));
    }

    @Override
    public StepResult execute(RestoreSpec spec, StepContext ctx) throws TargetException, InterruptedException {
        Manifest manifest;
        try {
            Optional<Manifest> m = manifest(spec, ctx);
            if (m.isEmpty()) {
                return StepResult.failed("step '" + spec.from().orElse("") + "' recorded no backup manifest", Map.of());
            }
            manifest = m.get();
        } catch (TemplateException e) {
            return StepResult.failed("no backup from step '" + spec.from().orElse("") + "' to restore: " + ctx.mask(e.getMessage()), Map.of());
        }
        List<Manifest.Entry> verified = new ArrayList<>();
        for (Manifest.Entry e : manifest.entries()) {
            if (e.absent()) {
                verified.add(e);
                continue;
            }
            ExecResult r = ctx.target().exec(request(BackupScripts.verify(e.backup(), e.sha256()), ctx));
            if (!r.ok()) {
                return StepResult.failed("cannot restore '" + e.original() + "', nothing was restored: " + why(r, ctx), Map.of());
            }
            verified.add(new Manifest.Entry(e.original(), e.backup(), BackupScripts.checksum(r.stdout()), false));
        }
        List<Object> restored = new ArrayList<>();
        List<Object> removed = new ArrayList<>();
        Map<String, Object> checksums = new LinkedHashMap<>();
        for (Manifest.Entry e : verified) {
            String script = e.absent() ? BackupScripts.remove(e.original()) : BackupScripts.restore(e.original(), e.backup(), e.sha256());
            ExecResult r = ctx.target().exec(request(script, ctx));
            if (!r.ok()) {
                String done = restored.isEmpty() ? "nothing was restored" : "already restored: " + restored;
                return new StepResult(r.timedOut() ? StepResult.Outcome.TIMED_OUT : StepResult.Outcome.FAILED, 1, "", "",
                        "cannot restore '" + e.original() + "' (" + done + "): " + why(r, ctx),
                        data(restored, removed, checksums), Duration.ZERO);
            }
            if (e.absent()) {
                removed.add(e.original());
                ctx.progress("removed '" + e.original() + "' (absent at backup time)");
            } else {
                restored.add(e.original());
                checksums.put(e.original(), e.sha256());
                ctx.progress("restored '" + e.original() + "' from '" + e.backup() + "'");
            }
        }
        String message = "restored " + restored.size() + " paths" + (removed.isEmpty() ? "" : ", removed " + removed.size())
                + spec.from().map(id -> " from step '" + id + "'").orElse("");
        return StepResult.changed(message, data(restored, removed, checksums));
    }

    private static Optional<Manifest> manifest(RestoreSpec spec, StepContext ctx) throws TemplateException {
        if (spec.from().isPresent()) {
            return Manifest.parse(ctx.render("{{ steps." + spec.from().get() + ".manifest }}"));
        }
        List<Manifest.Entry> entries = new ArrayList<>();
        for (Map.Entry<String, String> e : spec.paths().entrySet()) {
            entries.add(new Manifest.Entry(ctx.render(e.getKey()), ctx.render(e.getValue()), "", false));
        }
        return Optional.of(new Manifest(entries));
    }

    private static String why(ExecResult r, StepContext ctx) {
        return r.timedOut() ? "timed out" : ctx.mask(r.lastLine());
    }

    private static Map<String, Object> data(List<Object> restored, List<Object> removed, Map<String, Object> checksums) {
        return Map.of("restored", List.copyOf(restored), "removed", List.copyOf(removed), "checksums", Map.copyOf(checksums));
    }

    private static ExecRequest request(String script, StepContext ctx) {
        ExecRequest req = ExecRequest.of(script).withSudo(ctx.sudo());
        return ctx.timeout().isPresent() ? req.withTimeout(ctx.timeout().get()) : req;
    }

    @Override
    public String summary(RestoreSpec spec) {
        return spec.from().map(id -> "restore from step " + id).orElse("restore " + String.join(", ", spec.paths().keySet()));
    }
}
