package dev.opsctl.checklist.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A checklist run: every item result in order, and the verdict. It passed only when every item passed
 * or was skipped with a reason; anything failed or unanswered fails it (fail closed).
 */
public record ChecklistResult(String name, String title, String operator, Instant started, Instant finished, List<String> hosts,
        Map<String, String> params, List<ItemResult> items) {
    public ChecklistResult {
        hosts = List.copyOf(hosts);
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        items = List.copyOf(items);
    }

    public boolean passed() {
        return !items.isEmpty() && items.stream().noneMatch(i -> i.status().blocks());
    }

    public long count(ItemStatus status) {
        return items.stream().filter(i -> i.status() == status).count();
    }

    public Duration elapsed() {
        return Duration.between(started, finished);
    }

    public Optional<ItemResult> find(String key) {
        return items.stream().filter(i -> i.key().equals(key)).findFirst();
    }

    /** One line: {@code passed: 7 passed, 1 skipped} or {@code not passed: 1 failed, 2 unanswered}. */
    public String verdict() {
        StringBuilder out = new StringBuilder(passed() ? "passed:" : "not passed:");
        String sep = " ";
        for (ItemStatus s : ItemStatus.values()) {
            long n = count(s);
            if (n > 0) {
                out.append(sep).append(n).append(' ').append(s.label());
                sep = ", ";
            }
        }
        return items.isEmpty() ? "not passed: no items" : out.toString();
    }
}
