package dev.opsctl.target.helm;

import dev.opsctl.target.TargetException;
import dev.opsctl.target.TargetException.Kind;
import java.util.List;
import java.util.Locale;

/**
 * Turns Helm's failures (helm-java carries Go's error text only) into {@link TargetException}s. The only place that
 * reads Helm's messages. A connection to the API server that broke once Helm was sending (Go's "connection reset by
 * peer", "EOF", "http2: client connection lost" ...) is told from one that could not be made ("connection refused",
 * "no such host", a failed dial or TLS handshake, and Helm's own "Kubernetes cluster unreachable" check, made before it
 * sends anything): for a call that changes the release the first is a lost connection that may have been applied. So is
 * one that could not be made once Helm was past the phases that only read ({@code BEFORE_WRITING}): its earlier
 * requests may have written part of the release.
 */
final class HelmErrors {
    /** Whether a Helm call changes the cluster (install, upgrade, uninstall) or only reads it (status, history). */
    enum Call {
        READ,
        CHANGE
    }

    /** Go's words for a connection that could not be made: nothing was sent. */
    private static final List<String> NOT_CONNECTED = List.of("kubernetes cluster unreachable", "connection refused", "no such host",
            "dial tcp", "no route to host", "tls: ", "x509: ");

    /**
     * Helm's words for the phases of an install, upgrade or uninstall before it writes anything: its reachability check,
     * the release records' query, discovery and OpenAPI (building the objects), and the existing-object check. A
     * connection that could not be made there changed nothing; later, earlier requests of the same call may have
     * written the release record or some objects.
     */
    private static final List<String> BEFORE_WRITING = List.of("kubernetes cluster unreachable", "failed to query with labels",
            "list: failed to list", "unable to build kubernetes objects", "unable to continue with", "/version\"", "/version?",
            "/openapi/", "/api\"", "/api?", "/apis\"", "/apis?");

    /** Go's words for a connection that broke once made: the request may have gone out, and been done. */
    private static final List<String> BROKEN = List.of("connection reset by peer", "broken pipe", "unexpected eof", "http2: client connection lost",
            "http2: server sent goaway", "use of closed network connection", "client.timeout exceeded", "i/o timeout",
            "when reading response body");

    /**
     * client-go's words for an answer that is not the API server's verdict on a request: its 504 text (the API server's
     * own request timeout, after which a write goes on; a gateway that gave up), a storage timeout, a 5xx page of a proxy
     * in front of it (a 502 Bad Gateway: it passed the request on and lost the answer). A change so answered may be done.
     */
    private static final List<String> NO_VERDICT = List.of("but may still be processing the request", "etcdserver: request timed out",
            "bad gateway", "gateway timeout");

    private HelmErrors() {}

    static TargetException translate(String what, String helmMessage, Throwable cause, Call call) {
        String lower = helmMessage.toLowerCase(Locale.ROOT);
        boolean writing = call == Call.CHANGE && BEFORE_WRITING.stream().noneMatch(lower::contains);
        if (writing && !broken(lower) && NOT_CONNECTED.stream().noneMatch(lower::contains) && NO_VERDICT.stream().anyMatch(lower::contains)) {
            return new TargetException(Kind.CONNECTION_LOST, HelmJava.WHO, what + " was cut short: the API server (or a proxy in front of "
                    + "it) did not say whether it was done (" + helmMessage + "); Helm may have applied it, or part of it: check 'helm "
                    + "history' before running it again", cause);
        }
        if ((lower.contains("context deadline exceeded") || lower.contains("timed out waiting")) && !(writing && broken(lower))) {
            if (writing) {
                // Helm's own timeout (its wait, or a request outlived) ends with the release written, or written in part
                return new TargetException(Kind.TIMEOUT, HelmJava.WHO, what + ": " + helmMessage + "; Helm may have written the release, "
                        + "or part of it: check 'helm history' before running it again", cause).withChangeUnanswered();
            }
            return new TargetException(Kind.TIMEOUT, HelmJava.WHO, what + ": " + helmMessage, cause);
        }
        if (NOT_CONNECTED.stream().anyMatch(lower::contains)) {
            if (writing) {
                return new TargetException(Kind.CONNECTION_LOST, HelmJava.WHO, what + " was cut short: the API server could not be "
                        + "reached again partway through (" + helmMessage + "); Helm may have written part of the release (its record, "
                        + "some of its objects): check 'helm history' before running it again", cause);
            }
            return new TargetException(Kind.UNREACHABLE, HelmJava.WHO, what + ": " + helmMessage, cause);
        }
        if (broken(lower)) {
            if (call == Call.READ) {
                return new TargetException(Kind.CONNECTION_LOST, HelmJava.WHO, what + ": " + helmMessage, cause)
                        .withLostCommand(TargetException.LostCommand.READ_ONLY);
            }
            return new TargetException(Kind.CONNECTION_LOST, HelmJava.WHO, what + " was cut short: the connection to the API server "
                    + "broke while Helm was sending (" + helmMessage + "); Helm may have applied it, or part of it", cause);
        }
        if (lower.contains("unauthorized") || lower.contains("forbidden")) {
            return new TargetException(Kind.AUTH_FAILED, HelmJava.WHO, what + ": " + helmMessage, cause);
        }
        return new TargetException(Kind.REMOTE_FAILED, HelmJava.WHO, what + ": " + helmMessage, cause);
    }

    /** A read whose connection broke again when asked once more: the cluster cannot be read now, nothing was changed. */
    static TargetException brokenTwice(TargetException again) {
        return new TargetException(Kind.UNREACHABLE, HelmJava.WHO, again.getMessage() + " (the connection broke twice)", again);
    }

    private static boolean broken(String lower) {
        // Go ends "Post \"https://...\": EOF" when the server closed the connection before answering
        return BROKEN.stream().anyMatch(lower::contains) || lower.endsWith(": eof") || lower.contains(": eof;");
    }
}
