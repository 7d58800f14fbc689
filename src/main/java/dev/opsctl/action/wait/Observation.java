package dev.opsctl.action.wait;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One poll's result as the fields an {@code until} condition reads. Every field is always present
 * (a command poll has status 0 and an empty body), so a condition never meets an undefined name.
 * {@code answered}: false when the host could not be asked (its connection lost, or not made): not
 * ready, whatever a condition would make of the fields.
 */
record Observation(long rc, String stdout, String stderr, long status, String body, long latencyMs, String summary, boolean answered) {
    Observation(long rc, String stdout, String stderr, long status, String body, long latencyMs, String summary) {
        this(rc, stdout, stderr, status, body, latencyMs, summary, true);
    }

    /** The host could not be asked; {@code why} says so ("connection lost: ..."). */
    static Observation unanswered(String why) {
        return new Observation(-1, "", "", 0, "", 0, why, false);
    }

    static final java.util.Set<String> NAMES =
            java.util.Set.of("rc", "stdout", "stderr", "status", "body", "latency_ms", "elapsed_ms", "attempts");

    Map<String, Object> fields(long elapsedMs, int attempts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rc", rc);
        m.put("stdout", stdout);
        m.put("stderr", stderr);
        m.put("status", status);
        m.put("body", body);
        m.put("latency_ms", latencyMs);
        m.put("elapsed_ms", elapsedMs);
        m.put("attempts", (long) attempts);
        return m;
    }
}
