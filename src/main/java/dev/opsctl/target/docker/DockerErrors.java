package dev.opsctl.target.docker;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.UnauthorizedException;
import com.github.dockerjava.zerodep.shaded.org.apache.hc.core5.http.NoHttpResponseException;
import dev.opsctl.source.Durations;
import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns docker-java's exceptions into {@link TargetException}s whose messages name the host and the operation. */
final class DockerErrors {
    private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private DockerErrors() {}

    /**
     * {@code what} is the operation, e.g. {@code inspecting container 'web'}. Daemon answers
     * (4xx/5xx) are REMOTE_FAILED; a socket that refuses or does not exist is UNREACHABLE; a daemon
     * that accepted the connection and then said nothing is TIMEOUT.
     */
    static TargetException translate(String host, String what, RuntimeException e) {
        return translate(host, what, e, Optional.empty());
    }

    /**
     * As {@link #translate(String, String, RuntimeException)}; {@code unanswered} is what the
     * socket's forward knows of why a connection closed without an answer, said instead of the
     * client's placeholder when that is how this call failed.
     */
    static TargetException translate(String host, String what, RuntimeException e, Optional<String> unanswered) {
        if (e instanceof DockerException d) {
            String why = daemonMessage(d);
            if (e instanceof NotFoundException) {
                return new TargetException(TargetException.Kind.REMOTE_FAILED, host,
                        "docker on host '" + host + "': " + what + " failed: " + lowerFirst(why), e);
            }
            String status = e instanceof ConflictException ? "conflict" : e instanceof UnauthorizedException ? "unauthorized"
                    : "status " + d.getHttpStatus();
            return new TargetException(TargetException.Kind.REMOTE_FAILED, host,
                    "docker on host '" + host + "': " + what + " failed (" + status + "): " + lowerFirst(why), e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return silent(host, what, DockerClientFactory.responseTimeout(), e);
            }
        }
        return notAnswering(host, what, e, unanswered);
    }

    /** TIMEOUT: the daemon took the request and said nothing for {@code limit}. */
    static TargetException silent(String host, String what, Duration limit, Throwable e) {
        return new TargetException(TargetException.Kind.TIMEOUT, host, "docker daemon on host '" + host
                + "' did not answer within " + Durations.format(limit) + " while " + what, e);
    }

    static TargetException notAnswering(String host, String what, Throwable e) {
        return notAnswering(host, what, e, Optional.empty());
    }

    static TargetException notAnswering(String host, String what, Throwable e, Optional<String> unanswered) {
        String why = closedWithoutAnswer(e) ? unanswered.orElse("the connection closed without an answer") : cause(e);
        return new TargetException(TargetException.Kind.UNREACHABLE, host,
                "docker daemon on host '" + host + "' is not answering (" + what + "): " + why, new DaemonDown(e));
    }

    /**
     * The request met a connection closed before any answer. The client then names a placeholder
     * ("localhost:2375 failed to respond") that no socket of a unix transport ever was.
     */
    private static boolean closedWithoutAnswer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoHttpResponseException) {
                return true;
            }
        }
        return false;
    }

    /** Marks an UNREACHABLE that concerns the daemon only: the host itself may answer fine. */
    static final class DaemonDown extends IOException {
        DaemonDown(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    static TargetException timedOut(String host, String what, java.time.Duration limit) {
        return new TargetException(TargetException.Kind.TIMEOUT, host,
                "docker on host '" + host + "': " + what + " did not finish within " + dev.opsctl.source.Durations.format(limit));
    }

    /** True when the exception is the daemon's answer rather than a failure to reach it. */
    static boolean answered(RuntimeException e) {
        return e instanceof DockerException;
    }

    /** The daemon's own words from a {@code {"message": "..."}} body, else the exception's message. */
    static String daemonMessage(DockerException e) {
        String m = String.valueOf(e.getMessage());
        Matcher j = JSON_MESSAGE.matcher(m);
        if (j.find()) {
            return j.group(1).replace("\\\"", "\"").replace("\\\\", "\\").strip();
        }
        return m.replaceFirst("^Status \\d+: ", "").strip();
    }

    /** The innermost meaningful cause, in words: 'connection refused', 'no such file or directory'. */
    private static String cause(Throwable e) {
        String best = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException)) {
                continue;
            }
            String m = t.getMessage();
            if (m != null && !m.isBlank() && (t instanceof IOException || best == null || t.getClass().getName().endsWith("LastErrorException"))) {
                best = m;
            }
        }
        if (best == null) {
            return e.getClass().getSimpleName();
        }
        // JNA: "[111] Connection refused"; the JDK: "Connection refused"
        return lowerFirst(best.replaceFirst("^\\[\\d+]\\s*", "").replaceFirst("^(java\\.\\w+\\.)+\\w+: ", "").strip());
    }

    private static String lowerFirst(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && !Character.isUpperCase(s.charAt(1))) {
            return Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
        return s;
    }
}
