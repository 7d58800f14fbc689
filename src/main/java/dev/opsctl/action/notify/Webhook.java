package dev.opsctl.action.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Posts JSON to a webhook. A webhook URL is a credential (whoever has it can post), so no message
 * from here contains it, its host or its path: errors say what went wrong, not where. Thread-safe.
 */
public final class Webhook {
    private static final int MAX_BODY = 4096;

    /** What the webhook answered: its status and the start of its body. */
    public record Response(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** The webhook could not be reached or did not answer in time; the message never names the URL. */
    public static final class Failure extends Exception {
        private final boolean timedOut;

        Failure(String message, boolean timedOut) {
            super(message);
            this.timedOut = timedOut;
        }

        public boolean timedOut() {
            return timedOut;
        }
    }

    private HttpClient client;

    /** Checks the URL's form without saying what it is: {@code "the webhook is not an http(s) URL"}. */
    public static URI parse(String url) throws Failure {
        try {
            URI u = URI.create(url.strip());
            if (u.getScheme() == null || !u.getScheme().matches("https?") || u.getHost() == null) {
                throw new Failure("the webhook is not an http or https URL", false);
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new Failure("the webhook is not a valid URL", false);
        }
    }

    public Response post(URI url, String json, Duration timeout) throws Failure, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        CompletableFuture<HttpResponse<String>> f = client().sendAsync(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String body = r.body() == null ? "" : r.body();
            return new Response(r.statusCode(), body.length() > MAX_BODY ? body.substring(0, MAX_BODY) : body);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new Failure("the webhook did not answer within " + timeout.toMillis() + "ms", true);
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            // the request's own timeout and the wait above race: both mean the same to the operator
            if (e.getCause() instanceof java.net.http.HttpTimeoutException) {
                throw new Failure("the webhook did not answer within " + timeout.toMillis() + "ms", true);
            }
            throw new Failure(describe(e.getCause()), false);
        }
    }

    /**
     * Built on first use: an HttpClient sets up TLS and a selector thread (~0.13 s of CPU), which
     * every opsctl start paid when the action registry was built, webhook or not.
     */
    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(10)).build();
        }
        return client;
    }

    /** The cause in words, from its type only: library messages carry the host and port. */
    private static String describe(Throwable t) {
        if (t instanceof java.net.ConnectException) {
            return "cannot connect to the webhook (connection refused or host down)";
        }
        if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
            return "cannot resolve the webhook's host name";
        }
        if (t instanceof javax.net.ssl.SSLException) {
            return "TLS with the webhook failed";
        }
        if (t instanceof IOException) {
            return "the connection to the webhook failed (" + t.getClass().getSimpleName() + ")";
        }
        return "posting to the webhook failed (" + t.getClass().getSimpleName() + ")";
    }
}
