package dev.opsctl.action.notify;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A message to post to a webhook. {@code webhook}, {@code text}, {@code channel}, {@code username}
 * and the field values are templates; the webhook is usually a secret param. {@code failOnError}
 * false (the default): a webhook that is down does not fail the step, only says so.
 */
public record NotifySpec(String webhook, String text, Optional<String> channel, Optional<String> username,
        Map<String, String> fields, Duration timeout, boolean failOnError) {
    public NotifySpec {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }
}
