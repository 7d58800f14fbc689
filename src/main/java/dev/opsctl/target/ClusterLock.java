package dev.opsctl.target;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A lock that every operator of a shared system sees, whichever machine they run opsctl on (a
 * Kubernetes {@code coordination.k8s.io} Lease), so two runs of one runbook cannot overlap. A held
 * lock is renewed in the background until closed; a holder that stops renewing (a killed process,
 * a lost laptop) loses the lock once its lease duration has passed since its last renewal.
 * Implementations are thread-safe.
 */
public interface ClusterLock {
    /** Who holds a lock, since when, when they last renewed it and for how long a renewal counts. */
    record Holder(String identity, Instant acquired, Instant renewed, Duration duration) {
        /** A holder whose acquisition time is unknown: taken to be its last renewal. */
        public Holder(String identity, Instant renewed, Duration duration) {
            this(identity, renewed, renewed, duration);
        }

        /** After this instant anyone may take the lock over. */
        public Instant expires() {
            return renewed.plus(duration);
        }
    }

    /** A lock this process holds. */
    interface Handle extends AutoCloseable {
        String name();

        String identity();

        /**
         * True once a renewal found the lock taken over or deleted, or could not renew it for a whole
         * lease duration: the run no longer has the lock and should stop before its next step.
         */
        boolean lost();

        /**
         * Stops renewing and releases the lock if this process still holds it. Empty when it is released, or was no
         * longer this process's; else why it may still be held, and until when. Idempotent (a later call returns the
         * first one's answer), never throws.
         */
        Optional<Unreleased> release();

        /** {@link #release()}, its answer dropped. */
        @Override
        default void close() {
            release();
        }
    }

    /**
     * A lock whose release failed ({@code mayBeReleased} false: nothing was written) or was cut off after it was sent
     * ({@code mayBeReleased} true): it stays held under this process's identity until {@code expires}, its duration
     * after its last renewal, unless released meanwhile.
     */
    record Unreleased(String why, boolean mayBeReleased, Instant expires, Duration duration) {}

    /** The lock is held by someone else and has not expired. */
    final class HeldException extends Exception {
        private final String name;
        private final Holder holder;

        public HeldException(String name, Holder holder) {
            super("lock '" + name + "' is held by '" + holder.identity() + "' since " + holder.acquired() + " (last renewed "
                    + holder.renewed() + ", expires " + holder.expires() + " unless renewed)");
            this.name = name;
            this.holder = holder;
        }

        public String name() {
            return name;
        }

        public Holder holder() {
            return holder;
        }
    }

    /**
     * Takes the named lock for {@code identity}, creating it when absent, or taking it over when its
     * holder's lease has expired. Of two processes racing for one lock, exactly one wins. Taking a lock
     * this identity already holds succeeds.
     *
     * @throws HeldException when someone else holds it
     * @throws TargetException when the system could not be reached or refused the request
     */
    Handle acquire(String name, String identity) throws HeldException, TargetException, InterruptedException;

    /** The current holder of a lock, or empty when it is absent or released; an expired holder is returned (see {@link Holder#expires()}). */
    Optional<Holder> holder(String name) throws TargetException, InterruptedException;

    /** The holder identity opsctl writes: {@code operator@machine/run-id}. */
    static String identity(String operator, String machine, String runId) {
        return operator + "@" + machine + "/" + runId;
    }
}
