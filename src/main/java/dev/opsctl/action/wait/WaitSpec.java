package dev.opsctl.action.wait;

import dev.opsctl.action.TemplatedDuration;
import java.util.Optional;

/**
 * What to poll (a {@code command} on the host, or a {@code url} from the controller) and when it
 * counts as ready: {@code until} (a condition over the observation), and for a URL {@code status}
 * and {@code bodyContains}. Polled every {@code interval} until {@code timeout}; either may be a template.
 */
public record WaitSpec(
        Optional<String> command,
        Optional<String> url,
        Optional<Integer> status,
        Optional<String> bodyContains,
        Optional<String> until,
        TemplatedDuration timeout,
        TemplatedDuration interval,
        boolean insecure) {

    public String what() {
        return command.map(c -> "'" + c + "'").orElseGet(() -> url.orElse(""));
    }
}
