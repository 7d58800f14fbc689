package dev.opsctl.target.kube;

import dev.opsctl.source.Durations;
import dev.opsctl.target.TargetException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Waits for an object's condition on a watch (fabric8's waitUntilCondition), and watches again when
 * the watch itself breaks: a reset connection, a proxy's garbled frame, an API server restarting. Such
 * a break says nothing about the object, so it must not fail a rollout that is going fine; kubectl's
 * {@code rollout status} watches again too. Between watches one read checks the condition, so a change
 * made while no watch was open is not missed. An API server that no longer answers that read, or that
 * refuses the watch with a status (403, 404 ...), ends the wait with that error. A wait that times out
 * reads the object once more: a condition met at the last moment counts, and an API server that went
 * away meanwhile (fabric8 keeps retrying quietly) fails the wait as unreachable, not as a timeout.
 * Reads end with the timeout (and {@link #READ_GRACE} more): an API server that takes in a request and
 * never answers fails the wait as unreachable then, not after the client's own request timeout.
 */
final class KubeWatch {
    static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    static final Duration MAX_PAUSE = Duration.ofSeconds(2);
    static final Duration READ_GRACE = Duration.ofSeconds(2);

    /** Reads run here so that the waiting thread can stop waiting for them; idle threads end after a minute. */
    private static final ExecutorService READS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kube-read");
        t.setDaemon(true);
        return t;
    });

    private final KubeClient kube;

    KubeWatch(KubeClient kube) {
        this.kube = kube;
    }

    /**
     * True once {@code condition} holds for the object (null while it does not exist), false when the
     * timeout ran out first. {@code condition} sees every state the watch or a read brings.
     */
    <T> boolean until(KubeRef about, Resource<T> resource, Predicate<T> condition, Duration timeout)
            throws TargetException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration pause = FIRST_PAUSE;
        while (true) {
            long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            try {
                KubeErrors.watch(kube.context(), about, () -> resource.waitUntilCondition(condition, leftMs, TimeUnit.MILLISECONDS));
                return true;
            } catch (TargetException e) {
                if (e.kind() == TargetException.Kind.TIMEOUT) {
                    // fabric8 re-lists and re-watches quietly while the API server is away: a last read tells
                    // "not done in time" from "no API server" (which then fails as unreachable, not as a timeout)
                    return holdsNow(about, resource, condition, deadline);
                }
                if (!KubeErrors.unanswered(e)) {
                    throw e;
                }
            }
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(Math.min(pause.toNanos(), left));
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
            if (holdsNow(about, resource, condition, deadline)) {
                return true;
            }
            if (deadline - System.nanoTime() <= 0) {
                return false;
            }
        }
    }

    /** One read, given until {@code deadline} and {@link #READ_GRACE} more: whether the condition holds for the object as it is now. */
    private <T> boolean holdsNow(KubeRef about, Resource<T> resource, Predicate<T> condition, long deadline)
            throws TargetException, InterruptedException {
        long limit = Math.max(0, deadline - System.nanoTime()) + READ_GRACE.toNanos();
        Future<T> read = READS.submit(() -> kube.read(about, resource::get));
        T now;
        try {
            now = read.get(limit, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            read.cancel(true);
            throw new TargetException(TargetException.Kind.UNREACHABLE, kube.context(), "kube context '" + kube.context()
                    + "' is unreachable: no answer to a read of " + about.describeIn() + " within the wait's timeout and "
                    + Durations.format(READ_GRACE) + " more");
        } catch (InterruptedException e) {
            read.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw rethrown(e.getCause(), about);
        }
        return condition.test(now);
    }

    private TargetException rethrown(Throwable cause, KubeRef about) {
        if (cause instanceof TargetException t) {
            return t;
        }
        if (cause instanceof InterruptedException) {
            // the reader thread's interrupt, not this thread's: no reason to stop the run as if Ctrl-C was pressed
            return new TargetException(TargetException.Kind.REMOTE_FAILED, kube.context(), "the read of " + about.describeIn()
                    + " was cut short", cause);
        }
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        throw (Error) cause;
    }
}
