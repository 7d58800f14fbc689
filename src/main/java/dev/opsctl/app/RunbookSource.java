package dev.opsctl.app;

import dev.opsctl.runbook.model.Runbook;
import java.nio.file.Path;

/** Loads and validates a runbook (the runbook loader, wired by the composition root). */
@FunctionalInterface
public interface RunbookSource {
    /** The loaded runbook; every problem found is in the exception's message, compiler-style (exit 2). */
    Runbook load(Path file) throws OpsctlException;
}
