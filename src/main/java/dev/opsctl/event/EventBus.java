package dev.opsctl.event;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands every event to every subscriber, one event at a time, in the order emitted. Thread-safe.
 * A {@link DurableSink}'s wait for the disk happens after the bus lets the next event through, and
 * before the emitting thread goes on.
 */
public final class EventBus implements EventSink {
    private final List<EventSink> sinks = new CopyOnWriteArrayList<>();

    public EventBus subscribe(EventSink sink) {
        sinks.add(sink);
        return this;
    }

    @Override
    public void accept(RunEvent event) {
        List<Runnable> waits = null;
        synchronized (this) {
            for (EventSink s : sinks) {
                if (s instanceof DurableSink d) {
                    long ticket = d.append(event);
                    if (waits == null) {
                        waits = new ArrayList<>(1);
                    }
                    waits.add(() -> d.awaitDurable(ticket));
                } else {
                    s.accept(event);
                }
            }
        }
        if (waits != null) {
            waits.forEach(Runnable::run);
        }
    }
}
