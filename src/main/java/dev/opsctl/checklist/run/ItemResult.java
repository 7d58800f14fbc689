package dev.opsctl.checklist.run;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One item's outcome, for one host (a host-placed item) or for the run ({@code host} empty). For a
 * checked item {@code operator} is who ran the checklist; {@code evidence} holds its last samples.
 */
public record ItemResult(String itemId, String text, String group, Optional<String> host, boolean manual, ItemStatus status,
        String operator, Instant at, String note, List<Evidence> evidence) {
    public ItemResult {
        evidence = List.copyOf(evidence);
    }

    /** {@code id} or {@code id@host}: the key {@code --confirm} takes. */
    public String key() {
        return host.map(h -> itemId + "@" + h).orElse(itemId);
    }
}
