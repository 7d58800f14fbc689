package dev.opsctl.target.prometheus;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An active scrape target: its labels ({@code job}, {@code instance}, ...), URL, health and last scrape. */
public record ScrapeTarget(
        Map<String, String> labels, String scrapeUrl, Health health, String lastError, Optional<Instant> lastScrape) {
    public enum Health {
        UP,
        DOWN,
        UNKNOWN
    }

    public ScrapeTarget {
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    public String job() {
        return labels.getOrDefault("job", "");
    }

    public String instance() {
        return labels.getOrDefault("instance", "");
    }
}
