package dev.opsctl.checklist.run;

import dev.opsctl.source.TerminalText;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One sample of a probe: when, for which host (empty: the controller), the probe's summary, its
 * outcome, whether the expectation held, and its result fields ({@code rc}, {@code status},
 * {@code value}, {@code stdout}, {@code message}, ...) as text, already masked and capped.
 */
public record Evidence(String itemId, Optional<String> host, Instant at, String probe, String outcome, boolean held,
        Map<String, String> fields) {
    public Evidence {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    /** A one-line digest for tables and prompts: {@code rc=0 status=200 value=0.97 stdout=...}. */
    public String digest(int max) {
        StringBuilder out = new StringBuilder(outcome);
        // a probe's output is the host's words: shown, not sent to the terminal
        fields.forEach((k, v) -> out.append(' ').append(k).append('=').append(TerminalText.visible(v.strip().replaceAll("\\s+", " "))));
        return out.length() <= max ? out.toString() : out.substring(0, Math.max(0, max - 3)) + "...";
    }
}
