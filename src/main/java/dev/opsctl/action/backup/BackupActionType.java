package dev.opsctl.action.backup;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.TargetException;
import dev.opsctl.template.TemplateException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code backup}: timestamped copies of files and directories on the host, with checksums for {@code restore}. */
public final class BackupActionType implements ActionType<BackupSpec> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Override
    public String name() {
        return "backup";
    }

    @Override
    public String description() {
        return "Copies files and directories aside on the host before a change: each path to "
                + "'<path>.bak.<yyyyMMdd-HHmmss>' (or into 'dest_dir'), with 'cp -a' so mode, owner and times are kept, "
                + "and checks the copy's sha256 against the original. A path that is a symlink is followed: the file or "
                + "directory it points to is what is copied, and the link's text and that resolved path are recorded for "
                + "'restore' (a symlink to nothing, or to neither a file nor a directory, fails the step); symlinks inside a "
                + "directory are kept as links and their targets are part of its checksum. A missing path fails the step unless "
                + "'missing_ok: true', which records it as absent (a restore then removes whatever appeared there). "
                + "Reports 'paths' (original to copy), 'checksums' and 'manifest', which 'restore: {from: <id>}' reads.";
    }

    @Override
    public String example() {
        return """
                id: backup-config
                backup:
                  paths: [/etc/docker/daemon.json, /etc/subuid, /etc/subgid]
                  missing_ok: true
                sudo: true
                """;
    }

    @Override
    public Optional<BackupSpec> parse(Node node, ParseContext ctx) {
        Optional<MapReader> reader = MapReader.of(node, "'backup'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        List<String> paths = r.stringList("paths");
        if (!r.has("paths")) {
            ctx.problems().error(r.pos(), "missing required key 'paths' in 'backup'", "write paths: [/etc/docker/daemon.json]");
        } else if (paths.isEmpty()) {
            ctx.problems().error(r.keyPos("paths"), "'paths' in 'backup' is empty");
        }
        BackupSpec spec = new BackupSpec(paths, r.string("dest_dir"), r.bool("missing_ok").orElse(false));
        r.finish();
        return Optional.of(spec);
    }

    @Override
    public StepResult execute(BackupSpec spec, StepContext ctx) throws TargetException, InterruptedException {
        String stamp = LocalDateTime.now(ctx.clock()).format(STAMP);
        List<Manifest.Entry> done = new ArrayList<>();
        for (String template : spec.paths()) {
            String path;
            Optional<String> destDir;
            try {
                path = ctx.render(template);
                destDir = spec.destDir().isPresent() ? Optional.of(ctx.render(spec.destDir().get())) : Optional.empty();
            } catch (TemplateException e) {
                return result(StepResult.Outcome.FAILED, "cannot render '" + template + "': " + ctx.mask(e.getMessage()), done);
            }
            String copy = destDir.map(d -> d + "/" + Path.of(path).getFileName() + ".bak." + stamp).orElse(path + ".bak." + stamp);
            ExecResult r = ctx.target().exec(request(BackupScripts.backup(path, copy), ctx)
                    .withDescription("backing up '" + path + "' to '" + copy + "'"));
            if (r.timedOut()) {
                return result(StepResult.Outcome.TIMED_OUT, "timed out backing up '" + path + "'", done);
            }
            if (r.exitCode() != 0) {
                return result(StepResult.Outcome.FAILED, "cannot back up '" + path + "': " + ctx.mask(r.lastLine()), done);
            }
            if (r.stdout().strip().equals("absent")) {
                if (!spec.missingOk()) {
                    return result(StepResult.Outcome.FAILED, "'" + path + "' does not exist (set 'missing_ok: true' if that is expected)", done);
                }
                done.add(new Manifest.Entry(path, "", "", new Manifest.Kind.Absent()));
                ctx.progress("'" + path + "' is absent; a restore will remove it");
            } else {
                Optional<Manifest.Kind> kind = BackupScripts.kind(r.stdout());
                if (kind.isEmpty()) {
                    return result(StepResult.Outcome.FAILED, "cannot back up '" + path + "': the backup script did not say what it found "
                            + "(this is a bug; the copy is '" + copy + "')", done);
                }
                done.add(new Manifest.Entry(path, copy, BackupScripts.checksum(r.stdout()), kind.get()));
                ctx.progress("'" + path + "' -> '" + copy + "'" + (kind.get() instanceof Manifest.Kind.Symlink l
                        ? " (the content of '" + l.resolved() + "', which it points to)" : ""));
            }
        }
        long copies = done.stream().filter(e -> !e.absent()).count();
        return result(StepResult.Outcome.CHANGED, "backed up " + copies + " of " + done.size() + " paths", done);
    }

    static ExecRequest request(String script, StepContext ctx) {
        ExecRequest req = ExecRequest.of(script).withSudo(ctx.sudo());
        return ctx.timeout().isPresent() ? req.withTimeout(ctx.timeout().get()) : req;
    }

    /** Partial results still carry what was backed up, so a rollback can restore it. */
    private static StepResult result(StepResult.Outcome outcome, String message, List<Manifest.Entry> done) {
        Manifest m = new Manifest(done);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("paths", m.paths());
        data.put("checksums", m.checksums());
        data.put("manifest", m.toJson());
        return new StepResult(outcome, outcome.succeeded() ? 0 : 1, "", "", message, data, Duration.ZERO);
    }

    @Override
    public String summary(BackupSpec spec) {
        return "backup " + String.join(", ", spec.paths());
    }
}
