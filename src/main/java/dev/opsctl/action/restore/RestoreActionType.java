package dev.opsctl.action.restore;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.backup.BackupScripts;
import dev.opsctl.action.backup.Manifest;
import dev.opsctl.action.backup.RestoreScripts;
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
                + "back (or the error says where it was left). A path that was a symlink is restored into the path it "
                + "resolved to at backup time, and the link is then put back with its recorded text (replacing a file a "
                + "'copy' left there); the restore refuses, changing nothing, when that path is no longer the same kind "
                + "or is now reached through a symlink, or when the link now points elsewhere. No other symlink is "
                + "followed: a path that was a file or directory is restored at exactly that path. A path that was "
                + "absent at backup time is removed. Usually a rollback step.";
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
            ExecResult r = ctx.target().exec(request(RestoreScripts.verify(e), ctx)
                    .withDescription("checking the backup of '" + e.original() + "'"));
            if (!r.ok()) {
                return StepResult.failed("cannot restore '" + e.original() + "', nothing was restored: " + why(r, ctx), Map.of());
            }
            verified.add(e.withSha256(BackupScripts.checksum(r.stdout())));
        }
        List<Object> restored = new ArrayList<>();
        List<Object> removed = new ArrayList<>();
        Map<String, Object> checksums = new LinkedHashMap<>();
        for (Manifest.Entry e : verified) {
            String script = e.absent() ? RestoreScripts.remove(e.original()) : RestoreScripts.restore(e);
            ExecResult r = ctx.target().exec(request(script, ctx).withDescription((e.absent() ? "removing '" : "restoring '")
                    + e.original() + "'"));
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
                ctx.progress(progress(e, r.stdout().lines().anyMatch("relinked"::equals)));
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
            entries.add(new Manifest.Entry(ctx.render(e.getKey()), ctx.render(e.getValue()), "", new Manifest.Kind.Named()));
        }
        return Optional.of(new Manifest(entries));
    }

    private static String progress(Manifest.Entry e, boolean relinked) {
        if (e.kind() instanceof Manifest.Kind.Symlink l) {
            return "restored '" + l.resolved() + "' (what '" + e.original() + "' points to) from '" + e.backup() + "'"
                    + (relinked ? " and put the link '" + e.original() + "' -> '" + l.target() + "' back" : "");
        }
        return "restored '" + e.original() + "' from '" + e.backup() + "'";
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
