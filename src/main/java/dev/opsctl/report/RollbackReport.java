package dev.opsctl.report;

import java.time.Instant;
import java.util.Optional;

/** A host's rollback: why it started and, when the journal has it, whether it succeeded. */
public record RollbackReport(String host, Instant started, String reason, Optional<Instant> finished,
        Optional<Boolean> succeeded, String message) {}
