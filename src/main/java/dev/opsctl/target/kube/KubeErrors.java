package dev.opsctl.target.kube;

import dev.opsctl.target.TargetException;
import dev.opsctl.target.TargetException.Kind;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns fabric8's exceptions into {@link TargetException}s that name the object, the namespace and
 * the context. The only place that knows fabric8's failure shapes.
 */
public final class KubeErrors {
    /** fabric8's default pause before its retry. */
    static final java.time.Duration SERVER_ERROR_PAUSE = java.time.Duration.ofSeconds(1);

    private KubeErrors() {}

    /**
     * Runs a client call that may change something, translating its failures; an interrupted call throws
     * {@link InterruptedException}. A connection that broke after the request went out is {@code CONNECTION_LOST}
     * ({@link TargetException.LostCommand#MAY_STILL_RUN}): the API server may have done it, so it is not sent again. So is
     * an answer that is not the API server's verdict on it ({@link #translateChange}).
     */
    public static <T> T call(String context, Optional<KubeRef> about, Supplier<T> body) throws TargetException, InterruptedException {
        return attempt(context, about, body, true);
    }

    /**
     * Runs a client call that changes nothing and is not asked again here (a watch, whose caller watches again),
     * translating its failures as {@link #translate} does.
     */
    static <T> T watch(String context, KubeRef about, Supplier<T> body) throws TargetException, InterruptedException {
        return attempt(context, Optional.of(about), body, false);
    }

    private static <T> T attempt(String context, Optional<KubeRef> about, Supplier<T> body, boolean change)
            throws TargetException, InterruptedException {
        try {
            return body.get();
        } catch (KubernetesClientException e) {
            if (interrupted(e)) {
                Thread.currentThread().interrupt();
            }
            if (Thread.interrupted()) {
                InterruptedException ie = new InterruptedException("interrupted while calling the API server");
                ie.initCause(e);
                throw ie;
            }
            throw change ? translateChange(context, about, e) : translate(context, about, e);
        }
    }

    public static <T> T call(String context, KubeRef about, Supplier<T> body) throws TargetException, InterruptedException {
        return call(context, Optional.of(about), body);
    }

    /**
     * Runs a client call that only reads: one whose connection broke before the answer is asked once more at once
     * (a read changes nothing); broken again, the API server is {@code UNREACHABLE}, as when it refuses connections:
     * nothing was changed, and nothing can be read there now. One answered with a 5xx is asked once more after
     * {@link #SERVER_ERROR_PAUSE}, as fabric8's own retry (now off: it resent writes too) did for reads.
     */
    public static <T> T read(String context, KubeRef about, Supplier<T> body) throws TargetException, InterruptedException {
        try {
            return attempt(context, Optional.of(about), body, false);
        } catch (TargetException first) {
            if (first.getCause() instanceof KubernetesClientException k && k.getCode() >= 500) {
                Thread.sleep(SERVER_ERROR_PAUSE.toMillis());
            } else if (first.kind() != Kind.CONNECTION_LOST) {
                throw first;
            }
        }
        try {
            return attempt(context, Optional.of(about), body, false);
        } catch (TargetException again) {
            if (again.kind() != Kind.CONNECTION_LOST) {
                throw again;
            }
            String why = again.getCause() == null ? "" : " (" + lostCause(again.getCause()).orElse("") + ")";
            throw new TargetException(Kind.UNREACHABLE, context, "kube context '" + context + "' is unreachable: the read of "
                    + about.describeIn() + " was cut short twice, the connection broken before the answer arrived" + why, again);
        }
    }

    /**
     * The {@link TargetException} for a failed call that may change something: as {@link #translate}, except that an
     * answer that is not the API server's verdict on the request is {@code CONNECTION_LOST}, the change possibly made:
     * a gateway's 502 or 504 (a proxy or load balancer that passed the request on and gave up on, or garbled, the
     * answer; the API server's own 504 when a write outlives its request timeout and goes on), or a 500 of a storage
     * timeout ("etcdserver: request timed out", which the write may still outlive and be committed).
     */
    public static TargetException translateChange(String context, Optional<KubeRef> about, KubernetesClientException e) {
        int code = e.getCode();
        String reason = reason(e);
        String lower = reason.toLowerCase(java.util.Locale.ROOT);
        boolean storageTimeout = code == 500 && (lower.contains("timed out") || lower.contains("timeout")
                || lower.contains("deadline exceeded"));
        if (code != 502 && code != 504 && !storageTimeout) {
            return translate(context, about, e);
        }
        return new TargetException(Kind.CONNECTION_LOST, context, "kube context '" + context + "': " + operation(e)
                + about.map(KubeRef::describeIn).orElse("the request") + " got no answer from the API server: it (or a proxy in "
                + "front of it) answered " + code + " (" + reason + "); the API server may have applied it", e);
    }

    /** The {@link TargetException} for a failed call about {@code about} (or about nothing in particular). */
    public static TargetException translate(String context, Optional<KubeRef> about, KubernetesClientException e) {
        String what = about.map(KubeRef::describeIn).orElse("the request");
        if (e instanceof KubernetesClientTimeoutException) {
            return new TargetException(Kind.TIMEOUT, context, "timed out waiting for " + what + " (kube context '" + context + "')", e);
        }
        int code = e.getCode();
        String reason = reason(e);
        if (code <= 0) {
            Optional<String> cause = connectCause(e);
            if (cause.isPresent()) {
                return new TargetException(Kind.UNREACHABLE, context,
                        "kube context '" + context + "' is unreachable: " + cause.get(), e);
            }
            Optional<String> lost = lostCause(e);
            if (lost.isPresent()) {
                String how = bodyCut(e).map(cut -> "partway through its answer (its body stopped " + cut + ": " + lost.get() + ")")
                        .orElse("before its answer arrived (" + lost.get() + ")");
                return new TargetException(Kind.CONNECTION_LOST, context, "kube context '" + context + "': " + operation(e) + what
                        + " was cut short: the connection to the API server broke " + how + "; the API server may have applied it", e);
            }
            return new TargetException(Kind.REMOTE_FAILED, context, "request for " + what + " failed: " + reason, e);
        }
        return switch (code) {
            case 401 -> new TargetException(Kind.AUTH_FAILED, context, "kube context '" + context
                    + "' rejected the credentials (401 Unauthorized); renew them (for EKS: aws eks update-kubeconfig)", e);
            case 403 -> new TargetException(Kind.AUTH_FAILED, context, "kube context '" + context + "' forbids this on "
                    + what + " (403 Forbidden): " + reason, e);
            case 404 -> new TargetException(Kind.REMOTE_FAILED, context, notFound(about), e);
            case 409 -> new TargetException(Kind.REMOTE_FAILED, context, "conflict on " + what + " (409): " + reason, e);
            case 422 -> new TargetException(Kind.REMOTE_FAILED, context, what + " is invalid (422): " + reason, e);
            default -> new TargetException(Kind.REMOTE_FAILED, context, "API server answered " + code + " for " + what + ": " + reason, e);
        };
    }

    /**
     * Whether a call failed without any answer from the API server (connection refused or lost, protocol error)
     * rather than with one (a status, a timeout): a broken watch, which may simply be opened again.
     */
    static boolean unanswered(TargetException e) {
        return e.getCause() instanceof KubernetesClientException k && !(k instanceof KubernetesClientTimeoutException)
                && k.getCode() <= 0 && (connectCause(k).isPresent() || lostCause(k).isPresent());
    }

    /**
     * For an exec whose stream failed once running: a connection that broke is {@code CONNECTION_LOST}
     * ({@link TargetException.LostCommand#MAY_STILL_RUN}: the command goes on in the container without its stream);
     * empty for any other failure.
     */
    static Optional<TargetException> lostExec(String context, KubeRef pod, String command, Throwable cause) {
        return lostCause(cause).map(why -> new TargetException(Kind.CONNECTION_LOST, context, "kube context '" + context + "': exec of '"
                + command + "' in " + pod.describeIn() + " was cut short: the connection to the API server broke (" + why
                + "); the command may still be running in the container", cause));
    }

    /**
     * The failure of one of several objects' changes once others went through ({@code done}, each "configmap 'a'
     * created"): an API server that could not be reached, or refused the credentials, is then not "unreachable", which
     * says nothing was done. A refusal (not sent) cuts the step short with its change made in part, as a lost connection
     * does; a rejection (an answer) is a failure. A lost connection stays one, naming the changes made before it. Any other
     * failure, or one before any change, is {@code e} as it is.
     */
    static TargetException partly(String context, String operation, String participle, List<String> done, int total, String next,
            TargetException e) {
        int left = total - done.size();
        if (!done.isEmpty() && e.kind() == Kind.CONNECTION_LOST) {
            // cut off at the next object, which may be done too; the earlier ones are done, and must be named with it
            return new TargetException(Kind.CONNECTION_LOST, context, "kube context '" + context + "': the " + operation + " was cut short after "
                    + done.size() + " of " + total + " objects (" + String.join(", ", done) + "), at " + next + ", which may have been "
                    + participle + (left == 1 ? "" : "; the " + (left - 1) + (left == 2 ? " object after it was not" : " objects after it were not"))
                    + ": " + e.getMessage(), e).withLostCommand(e.lostCommand()).withOutputSoFar(e.outputSoFar());
        }
        if (done.isEmpty() || !e.unreachable()) {
            return e;
        }
        Kind kind = e.kind() == Kind.UNREACHABLE ? Kind.CONNECTION_LOST : Kind.REMOTE_FAILED;
        return new TargetException(kind, context, "kube context '" + context + "': the " + operation + " was cut short after " + done.size()
                + " of " + total + " objects (" + String.join(", ", done) + "): " + next + (left == 1 ? " was" : " and the " + (left - 1)
                + (left == 2 ? " object" : " objects") + " after it were") + " not " + participle + ": " + e.getMessage(), e);
    }

    /** The message for a missing object: {@code deployment 'web' not found in namespace 'prod'}. */
    public static String notFound(Optional<KubeRef> about) {
        return about.map(r -> r.describe() + " not found" + (r.namespace().isEmpty() ? "" : " in namespace '" + r.namespace() + "'"))
                .orElse("not found");
    }

    public static TargetException notFound(String context, KubeRef about) {
        return new TargetException(Kind.REMOTE_FAILED, context, notFound(Optional.of(about)));
    }

    private static String reason(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null && !e.getStatus().getMessage().isBlank()) {
            return e.getStatus().getMessage();
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        // fabric8 prefixes "Failure executing: VERB at: URL. Message: ..." – keep the server's part
        int i = m.indexOf("Message: ");
        return i >= 0 ? m.substring(i + "Message: ".length()).strip() : m;
    }

    /**
     * Why the connection could not be made, when the request never went out: refused, unknown host, no answer to
     * the connect, the TLS handshake failed (the request is sent only after it). Nothing reached the API server.
     */
    private static Optional<String> connectCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return Optional.of("unknown host" + (t.getMessage() == null ? "" : " '" + t.getMessage() + "'"));
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return t.getCause() instanceof UnresolvedAddressException ? Optional.of("unknown host") : Optional.of("connection refused");
            }
            if (t instanceof HttpConnectTimeoutException || t instanceof SocketTimeoutException s && connectTimeout(s)) {
                return Optional.of("no answer (connect timeout)");
            }
            if (t instanceof SSLHandshakeException) {
                return Optional.of("TLS failed: " + t.getMessage());
            }
        }
        return Optional.empty();
    }

    private static boolean connectTimeout(SocketTimeoutException e) {
        return e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connect");
    }

    /**
     * Why the connection failed once it was made, so after the request may have gone out (reset, closed before the
     * answer, the answer timed out, a garbled frame): the deepest such message, which names the cause
     * ("Connection reset" below "HTTP/1.1 header parser received no bytes").
     */
    private static Optional<String> lostCause(Throwable e) {
        Optional<String> found = Optional.empty();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException && t.getClass() != InterruptedIOException.class) {
                found = Optional.of(describe(t));
            }
        }
        return found;
    }

    /**
     * Where an answer broke off whose status line and headers had come (its status, a 200 or a 504, is then lost with
     * it): "after 48 of 97 bytes", from the JDK client's words for a body cut short; empty when none of the answer came.
     */
    private static Optional<String> bodyCut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = Optional.ofNullable(t.getMessage()).orElse("");
            java.util.regex.Matcher fixed = FIXED_LENGTH_CUT.matcher(m);
            if (fixed.find()) {
                return Optional.of("after " + fixed.group(2) + " of " + fixed.group(1) + " bytes");
            }
            if (m.startsWith("chunked transfer encoding, state:")) {
                return Optional.of("partway");
            }
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern FIXED_LENGTH_CUT =
            java.util.regex.Pattern.compile("^fixed content-length: (\\d+), bytes received: (\\d+)");

    /**
     * "the patch of ", from fabric8's "Operation: [patch]  for kind: ..." or, for an answered request, "Failure executing:
     * PATCH at: ..."; else "the request for ".
     */
    private static String operation(KubernetesClientException e) {
        java.util.regex.Matcher m = OPERATION.matcher(Optional.ofNullable(e.getMessage()).orElse(""));
        return m.find() ? "the " + Optional.ofNullable(m.group(1)).orElse(m.group(2)).toLowerCase(java.util.Locale.ROOT) + " of "
                : "the request for ";
    }

    private static final java.util.regex.Pattern OPERATION =
            java.util.regex.Pattern.compile("^(?:Operation: \\[(\\w+)\\]|Failure executing: (\\w+) at:)");

    /** Its message, else its type and the first message below it (a ProtocolException carries none of its own). */
    private static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return c == t ? c.getMessage() : t.getClass().getSimpleName() + ": " + c.getMessage();
            }
        }
        return t.getClass().getSimpleName();
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // not instanceof: SocketTimeoutException is an InterruptedIOException too
            if (t instanceof InterruptedException || t.getClass() == InterruptedIOException.class) {
                return true;
            }
        }
        return false;
    }
}
