package dev.opsctl.action;

import dev.opsctl.source.Problems;
import java.nio.file.Path;

/** What a step type needs while parsing: where to report, and the directory relative paths start from. */
public record ParseContext(Problems problems, Path baseDir) {}
