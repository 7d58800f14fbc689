package dev.opsctl.action.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One HTTP request from the controller and what its response must look like. {@code url},
 * header values and {@code body} are templates. An empty {@code expectStatus} accepts any 2xx.
 */
public record HttpSpec(
        String url,
        String method,
        Map<String, String> headers,
        Optional<String> body,
        Duration timeout,
        List<Integer> expectStatus,
        Optional<String> bodyContains,
        Optional<Pattern> bodyMatches,
        Optional<Duration> maxLatency,
        boolean insecure) {

    public HttpSpec {
        headers = Map.copyOf(headers);
        expectStatus = List.copyOf(expectStatus);
    }

    public String expectedStatus() {
        if (expectStatus.isEmpty()) {
            return "2xx";
        }
        return expectStatus.size() == 1 ? String.valueOf(expectStatus.get(0))
                : String.join(" or ", expectStatus.stream().map(String::valueOf).toList());
    }

    public boolean statusOk(int status) {
        return expectStatus.isEmpty() ? status >= 200 && status < 300 : expectStatus.contains(status);
    }
}
