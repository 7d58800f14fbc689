package dev.opsctl.event;

/**
 * A sink that makes events durable (the run journal). The bus calls {@link #append} in emission
 * order while it holds its lock and {@link #awaitDurable} after releasing it: hosts emitting at
 * the same time then share one fsync (a group commit) instead of each waiting, behind the bus's
 * lock, for the fsyncs of every host before it. The emitting thread still returns only once its
 * own event is on disk.
 */
public interface DurableSink extends EventSink {
    /** Writes the event (not yet durable); returns the ticket to wait for. */
    long append(RunEvent event);

    /** Returns once everything up to {@code ticket} is on disk. */
    void awaitDurable(long ticket);

    @Override
    default void accept(RunEvent event) {
        awaitDurable(append(event));
    }
}
