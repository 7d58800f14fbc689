package dev.opsctl.runbook.model;

import dev.opsctl.source.SourcePos;

/** A checklist named by a gate ({@code checklists/<name>.yaml}), where it was named. */
public record GateRef(String checklist, SourcePos pos) {}
