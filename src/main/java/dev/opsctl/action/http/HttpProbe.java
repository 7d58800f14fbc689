package dev.opsctl.action.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Sends one HTTP request from the controller and keeps at most {@link #MAX_BODY} bytes of the
 * answer. The whole exchange, body included, must finish within the timeout. Thread-safe; the
 * clients are made on first use.
 */
public final class HttpProbe {
    public static final int MAX_BODY = 1024 * 1024;

    /** A response: status, the (capped) body as text, first value of each header (lower-case names), time to the last byte. */
    public record Response(int status, String body, Map<String, String> headers, Duration latency) {}

    /** No response within the timeout. */
    public static final class TimedOut extends Exception {
        public TimedOut(String message) {
            super(message);
        }
    }

    private HttpClient secure;
    private HttpClient insecure;

    public Response send(String method, URI uri, Map<String, String> headers, Optional<String> body, Duration timeout,
            boolean skipTlsChecks) throws IOException, TimedOut, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body.map(s -> HttpRequest.BodyPublishers.ofString(s, StandardCharsets.UTF_8))
                        .orElse(HttpRequest.BodyPublishers.noBody()));
        headers.forEach(b::header);
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> f = client(skipTlsChecks).sendAsync(b.build(), info -> new CappedBody(MAX_BODY));
        HttpResponse<byte[]> r;
        try {
            r = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new TimedOut("no response within " + timeout.toMillis() + "ms");
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException) {
                throw new TimedOut("no response within " + timeout.toMillis() + "ms");
            }
            throw new IOException(describe(cause), cause);
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        Map<String, String> h = new LinkedHashMap<>();
        r.headers().map().forEach((k, v) -> {
            if (!v.isEmpty()) {
                h.put(k.toLowerCase(Locale.ROOT), v.get(0));
            }
        });
        return new Response(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), h, latency);
    }

    private static String describe(Throwable t) {
        if (t instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (t instanceof javax.net.ssl.SSLException) {
            return "TLS failed: " + t.getMessage() + " (set 'insecure: true' only for a self-signed test endpoint)";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    private synchronized HttpClient client(boolean skipTlsChecks) {
        if (skipTlsChecks) {
            if (insecure == null) {
                insecure = builder().sslContext(trustAll()).build();
            }
            return insecure;
        }
        if (secure == null) {
            secure = builder().build();
        }
        return secure;
    }

    private static HttpClient.Builder builder() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(30));
    }

    /** For 'insecure: true': accepts any certificate and any host name (an extended trust manager does the name check). */
    private static SSLContext trustAll() {
        TrustManager tm = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this Java runtime", e);
        }
    }

    static List<String> restrictedHeaders() {
        return List.of("connection", "content-length", "expect", "host", "upgrade");
    }
}
