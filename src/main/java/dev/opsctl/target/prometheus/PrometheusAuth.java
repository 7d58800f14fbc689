package dev.opsctl.target.prometheus;

import dev.opsctl.source.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** How requests to Prometheus authenticate (a reverse proxy or {@code --web.config.file}). Never shown in messages. */
public sealed interface PrometheusAuth {
    /** The value of the {@code Authorization} header. */
    Secret header();

    /** HTTP basic authentication. */
    record Basic(String username, Secret password) implements PrometheusAuth {
        @Override
        public Secret header() {
            String pair = username + ":" + password.reveal();
            return new Secret("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String toString() {
            return "Basic[" + username + ", " + Secret.MASK + "]";
        }
    }

    /** A bearer token, e.g. a service-account token in front of a managed Prometheus. */
    record Bearer(Secret token) implements PrometheusAuth {
        @Override
        public Secret header() {
            return new Secret("Bearer " + token.reveal());
        }
    }
}
