package dev.opsctl.action;

import dev.opsctl.source.Problems;
import dev.opsctl.source.SourcePos;
import java.nio.file.Path;
import java.util.Set;

/**
 * What a step type needs while parsing: where to report problems, the directory relative paths
 * start from, and a way to have a condition checked against the runbook's variables (the loader
 * knows the params, step ids and registered names; the step type knows which extra fields, such as
 * {@code status}, it puts in scope).
 */
public interface ParseContext {
    Problems problems();

    Path baseDir();

    /** Checks a condition's syntax and that every variable it reads exists; reports problems at {@code pos}. */
    void checkCondition(String text, SourcePos pos, Set<String> extraNames);

    /** A context that checks only syntax-free things: for step-type unit tests. */
    static ParseContext lenient(Problems problems, Path baseDir) {
        return new ParseContext() {
            @Override
            public Problems problems() {
                return problems;
            }

            @Override
            public Path baseDir() {
                return baseDir;
            }

            @Override
            public void checkCondition(String text, SourcePos pos, Set<String> extraNames) {}
        };
    }
}
