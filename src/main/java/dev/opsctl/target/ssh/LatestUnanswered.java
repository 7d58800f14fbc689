package dev.opsctl.target.ssh;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Why the latest of a bridge's connections to end ended without an answer, or that it was answered,
 * and when ({@link System#nanoTime}). Connections end on threads of their own, each reading the time
 * and then keeping its record, so an older record can arrive after a newer one: the later time is
 * kept, not the later arrival. Thread-safe.
 */
final class LatestUnanswered {
    private record Ended(String why, long atNanos) {}

    /** Null until a connection ended. */
    private final AtomicReference<Ended> latest = new AtomicReference<>();

    /** A connection ended at {@code atNanos}, unanswered for {@code why}, or answered (or for no known reason) when null. */
    void ended(String why, long atNanos) {
        Ended e = new Ended(why, atNanos);
        Ended current;
        do {
            current = latest.get();
            if (current != null && current.atNanos() - atNanos > 0) {
                return;
            }
        } while (!latest.compareAndSet(current, e));
    }

    /** The reason of the latest record, if it has one and is at or after {@code sinceNanos}. */
    Optional<String> since(long sinceNanos) {
        Ended e = latest.get();
        return e != null && e.atNanos() - sinceNanos >= 0 ? Optional.ofNullable(e.why()) : Optional.empty();
    }
}
