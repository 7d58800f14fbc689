package dev.opsctl.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How a run's gates get their manual answers: {@code --confirm ID} (or {@code ID@host}) and an
 * answers file, before anyone is asked; an interactive operator for the rest, or nobody (fail closed).
 */
public record GateAnswers(List<String> confirms, Optional<Path> answersFile) {
    public static final GateAnswers NONE = new GateAnswers(List.of(), Optional.empty());

    public GateAnswers {
        confirms = List.copyOf(confirms);
    }
}
