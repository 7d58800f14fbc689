package dev.opsctl.runbook.model;

import dev.opsctl.source.SourcePos;
import java.util.List;

/**
 * A runbook's {@code notify:} block: run events posted to a chat webhook. {@code url} is a template
 * (normally a secret param, never shown); {@code on} holds names from {@link #EVENTS}, all of them
 * when the block leaves it out.
 */
public record Notify(String url, List<String> on, SourcePos pos) {
    /** The events a webhook can be told about, by their names in runbooks. */
    public static final List<String> EVENTS = List.of("started", "failed", "trigger_fired", "rolled_back", "halted", "finished");

    public Notify {
        on = List.copyOf(on);
    }
}
