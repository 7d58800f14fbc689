package dev.opsctl.action.prometheus;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code prometheus:} step. {@code url}, {@code query} and the credentials are templates (rendered
 * as plain text); {@code expect} is a condition over the result fields.
 */
public record PrometheusSpec(
        String url,
        String query,
        Optional<String> expect,
        Duration timeout,
        Aggregate aggregate,
        OnEmpty onEmpty,
        Optional<BasicAuth> basicAuth,
        Optional<String> bearerToken) {

    /** {@code basic_auth: {username, password}}: both templates; the password is normally a secret variable. */
    public record BasicAuth(String username, String password) {
        @Override
        public String toString() {
            return "BasicAuth[" + username + ", ********]";
        }
    }

    /** How several series become the one {@code value}. */
    public enum Aggregate {
        /** the largest value, NaN ignored unless every value is NaN */
        MAX,
        /** the smallest value, NaN ignored unless every value is NaN */
        MIN,
        /** the sum; a NaN series makes it NaN */
        SUM,
        /** the first series in label order */
        FIRST;

        public double apply(List<Double> values) {
            if (values.isEmpty()) {
                return Double.NaN;
            }
            return switch (this) {
                case FIRST -> values.get(0);
                case SUM -> values.stream().mapToDouble(Double::doubleValue).sum();
                case MAX -> values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
                case MIN -> values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
            };
        }

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What {@code value} is when the query returns no series. */
    public enum OnEmpty {
        /** the step fails */
        FAIL,
        /** value 0 (an error counter that does not exist yet) */
        ZERO,
        /** value NaN: every comparison is false, so {@code value > 30} does not fire and {@code value < 0.05} fails */
        NAN;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
