package dev.opsctl.target.docker;

import dev.opsctl.source.Durations;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class's docker calls a response timeout shorter than the minute operators get, so each test of a silent
 * daemon waits seconds, not a minute. Register it static; it is undone after the class.
 */
public final class ShortDockerResponseTimeout implements BeforeAllCallback, AfterAllCallback {
    private final Duration limit;

    public ShortDockerResponseTimeout(Duration limit) {
        this.limit = limit;
    }

    /** The limit as opsctl's messages say it ({@code 10s}). */
    public String said() {
        return Durations.format(limit);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty(DockerClientFactory.RESPONSE_TIMEOUT_PROPERTY, said());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty(DockerClientFactory.RESPONSE_TIMEOUT_PROPERTY);
    }
}
