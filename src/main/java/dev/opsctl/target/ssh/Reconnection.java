package dev.opsctl.target.ssh;

import dev.opsctl.source.Durations;
import dev.opsctl.target.TargetException;
import java.time.Duration;
import java.util.Optional;

/**
 * How opsctl connects again to a host it was connected to: a host that refuses or does not answer
 * is tried again, with pauses growing from {@link #FIRST_PAUSE} to {@link #MAX_PAUSE}, until
 * {@link #WINDOW} has passed since the first attempt. A host that just worked and now refuses is most
 * likely having its sshd restarted (a runbook's `systemctl restart ssh`, a package upgrade), which
 * takes well under a second to a few seconds; one attempt, made as the connection broke, came before
 * the new sshd listened. A first connection is not retried (a port with nothing listening fails at
 * once), nor a refused login or host key: trying again changes nothing. Ansible's ssh plugin retries
 * the same way when told to ({@code reconnection_retries}, pauses of 1, 3, 7 s...); OpenSSH's
 * {@code ConnectionAttempts} waits 1 s between attempts. Each attempt keeps its own connect timeout
 * ({@link #MAX_ATTEMPT} for none), and at most what is left of its caller's time.
 * A host that stayed away for a whole window counts as gone: until a connection is made again, the
 * next reconnect is one attempt, or every later call on it (the next steps, a rollback's, clean-ups,
 * each poll) would wait the window again. Thread-safe.
 */
final class Reconnection {
    /** How long a host that worked is tried again before it counts as gone: sshd's restart, with room to spare. */
    static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(2);
    /** The least time an attempt is given, its caller's deadline close or past: a connect timeout of 0 would be none. */
    static final Duration MIN_ATTEMPT = Duration.ofMillis(100);

    /**
     * How long one attempt of a reconnect may take with {@code ConnectTimeout 0}, no limit, which would
     * leave it to TCP's connect timeout, about two minutes: a reconnect holds the host's connection, and
     * the other calls on it without a time limit of their own wait. A ConnectTimeout the operator set
     * is kept, longer or not: a link that needs it for a first connection needs it again.
     */
    static final Duration MAX_ATTEMPT = Duration.ofSeconds(30);
    /** A reconnect without a caller's deadline. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    /** One connection attempt, its connect timeout at most {@code within}. */
    @FunctionalInterface
    interface Attempt {
        SshConnector.Connected connect(Duration within) throws TargetException;
    }

    private final Duration window;
    /** The most one attempt may take: {@link #attemptTime} of the host's ConnectTimeout. */
    private final Duration attemptCap;
    /** The failure of the reconnect under way, with its attempts, for a caller that stopped waiting for it. */
    private volatile Optional<TargetException> lastFailure = Optional.empty();
    /** The last reconnect was tried for the whole window and failed: the host is gone until one succeeds. */
    private volatile boolean gone;

    /** For a host whose ConnectTimeout is {@code connectTimeout}. */
    Reconnection(Duration connectTimeout) {
        this(WINDOW, connectTimeout);
    }

    /** With another window than {@link #WINDOW} (tests). */
    Reconnection(Duration window, Duration connectTimeout) {
        this.window = window;
        this.attemptCap = attemptTime(connectTimeout);
    }

    /** How long one attempt of a reconnect may take: {@code connectTimeout}, or {@link #MAX_ATTEMPT} for no limit. */
    static Duration attemptTime(Duration connectTimeout) {
        return connectTimeout.equals(SshSettings.NO_CONNECT_TIMEOUT) ? MAX_ATTEMPT : connectTimeout;
    }

    /**
     * A connection from {@code attempt}, tried again within {@link #WINDOW} while the host is
     * unreachable; tried once if the last reconnect found it gone. An interrupt ends the tries with
     * the last failure, the interrupt kept.
     *
     * @throws TargetException the last attempt's failure, saying how many were made and for how long
     */
    SshConnector.Connected connect(Attempt attempt) throws TargetException {
        return connect(attempt, NO_DEADLINE);
    }

    /**
     * As {@link #connect(Attempt)}, ended by {@code deadline} ({@link System#nanoTime}, or
     * {@link #NO_DEADLINE}): the call's time left bounds each attempt and the pauses, and a reconnect
     * it cut short does not count the host as gone.
     */
    SshConnector.Connected connect(Attempt attempt, long deadline) throws TargetException {
        lastFailure = Optional.empty();
        long start = System.nanoTime();
        Duration pause = FIRST_PAUSE;
        boolean once = gone;
        for (int attempts = 1; ; attempts++) {
            try {
                Duration within = deadline == NO_DEADLINE ? attemptCap : min(attemptCap, Duration.ofNanos(deadline - System.nanoTime()));
                SshConnector.Connected c = attempt.connect(within.compareTo(MIN_ATTEMPT) < 0 ? MIN_ATTEMPT : within);
                gone = false;
                return c;
            } catch (TargetException e) {
                if (once && e.kind() == TargetException.Kind.UNREACHABLE) {
                    TargetException stillGone = new TargetException(e.kind(), e.host(), e.getMessage() + "; 1 attempt (it stayed away for "
                            + Durations.format(window) + " before)", e.getCause());
                    lastFailure = Optional.of(stillGone);
                    throw stillGone;
                }
                TargetException tried = attempts == 1 && e.kind() != TargetException.Kind.UNREACHABLE ? e : tried(e, attempts, start);
                lastFailure = Optional.of(tried);
                if (e.kind() != TargetException.Kind.UNREACHABLE || Thread.currentThread().isInterrupted()) {
                    throw tried;
                }
                if (since(start).plus(pause).compareTo(window) > 0) {
                    gone = true;
                    throw tried;
                }
                if (deadline != NO_DEADLINE && deadline - System.nanoTime() - pause.toNanos() <= 0) {
                    throw tried; // the caller's time is up before the next attempt
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw tried(e, attempts, start);
                }
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    /** The failure so far of the reconnect under way, if an attempt failed: for a caller that stopped waiting. */
    Optional<TargetException> lastFailure() {
        return lastFailure;
    }

    /** Before a reconnect that may not get to its first attempt before its caller stops waiting. */
    void forgetLastFailure() {
        lastFailure = Optional.empty();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private static TargetException tried(TargetException e, int attempts, long start) {
        long seconds = Math.max(1, Math.round(since(start).toMillis() / 1000.0));
        String how = attempts == 1 ? "1 attempt" : attempts + " attempts in " + Durations.format(Duration.ofSeconds(seconds));
        return new TargetException(e.kind(), e.host(), e.getMessage() + "; " + how, e.getCause());
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
