package dev.opsctl.runbook.model;

import dev.opsctl.param.Param;
import dev.opsctl.source.SourcePos;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded, validated runbook. {@code digest} is the SHA-256 of the file and of every file it
 * includes, so a resumed run can tell whether the runbook changed underneath it.
 */
public record Runbook(
        Path file,
        String digest,
        Metadata metadata,
        List<Param> params,
        Targets targets,
        Strategy strategy,
        Gates gates,
        List<Trigger> triggers,
        List<Step> steps,
        List<Step> rollback,
        SourcePos pos,
        Optional<Notify> notification) {

    public Runbook {
        params = List.copyOf(params);
        triggers = List.copyOf(triggers);
        steps = List.copyOf(steps);
        rollback = List.copyOf(rollback);
    }

    /** Without a {@code notify:} block. */
    public Runbook(Path file, String digest, Metadata metadata, List<Param> params, Targets targets, Strategy strategy, Gates gates,
            List<Trigger> triggers, List<Step> steps, List<Step> rollback, SourcePos pos) {
        this(file, digest, metadata, params, targets, strategy, gates, triggers, steps, rollback, pos, Optional.empty());
    }

    public String name() {
        return metadata.name();
    }

    public Optional<Step> step(String id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public Optional<Param> param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
