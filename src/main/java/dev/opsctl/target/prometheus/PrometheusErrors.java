package dev.opsctl.target.prometheus;

import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;

/** Turns what can go wrong talking to Prometheus into {@link TargetException}s whose message names the server. */
final class PrometheusErrors {
    private static final int MAX_BODY_IN_MESSAGE = 200;

    private PrometheusErrors() {}

    static TargetException io(Endpoint at, IOException e, Duration timeout) {
        if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
            return timeout(at, timeout, e);
        }
        Throwable root = rootCause(e);
        if (e instanceof ConnectException || root instanceof ConnectException) {
            String why = root instanceof UnresolvedAddressException || root instanceof UnknownHostException
                    ? "unknown host '" + at.host() + "'"
                    : "connection refused";
            return new TargetException(TargetException.Kind.UNREACHABLE, at.host(),
                    "prometheus '" + at.shown() + "' is unreachable: " + why, e);
        }
        return new TargetException(TargetException.Kind.CONNECTION_LOST, at.host(),
                "prometheus '" + at.shown() + "' broke off the answer: " + describe(root), e);
    }

    static TargetException timeout(Endpoint at, Duration timeout, Throwable cause) {
        return new TargetException(TargetException.Kind.TIMEOUT, at.host(),
                "prometheus '" + at.shown() + "' did not answer within " + timeout.toMillis() + "ms", cause);
    }

    /** A non-2xx answer; {@code what} is the request ("the query", "the snapshot request"). */
    static TargetException status(Endpoint at, String what, int status, String body, Duration timeout) {
        Optional<PrometheusJson.ApiError> api = PrometheusJson.error(body);
        if (api.isPresent() && "timeout".equals(api.get().type())) {
            return timeout(at, timeout, null);
        }
        if (api.isEmpty() && (status == 401 || status == 403)) {
            return new TargetException(TargetException.Kind.AUTH_FAILED, at.host(), "prometheus '" + at.shown()
                    + "' refused the credentials (" + status + "): check 'basic_auth' or 'bearer_token'");
        }
        String why = api.map(PrometheusJson.ApiError::message).orElseGet(() -> excerpt(body));
        String hint = why.contains("admin APIs disabled") ? " (start Prometheus with --web.enable-admin-api)" : "";
        return new TargetException(TargetException.Kind.REMOTE_FAILED, at.host(),
                "prometheus '" + at.shown() + "' answered " + status + " to " + what + ": " + why + hint);
    }

    static TargetException badResponse(Endpoint at, String what, PrometheusJson.BadResponse e) {
        return new TargetException(TargetException.Kind.REMOTE_FAILED, at.host(), "prometheus '" + at.shown()
                + "' gave an answer to " + what + " that is not Prometheus' API: " + e.getMessage(), e);
    }

    private static String excerpt(String body) {
        String line = body.strip().lines().findFirst().orElse("");
        if (line.isEmpty()) {
            return "empty answer";
        }
        return line.length() > MAX_BODY_IN_MESSAGE ? line.substring(0, MAX_BODY_IN_MESSAGE) + "..." : line;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
