package dev.opsctl.report;

import java.time.Instant;

/** A warning or error the run told the operator (a halt reason, a refused host), kept for the report. */
public record NoticeReport(Instant time, String level, String host, String message) {}
