package dev.opsctl.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Hands every event to every subscriber, one event at a time, in the order emitted. Thread-safe. */
public final class EventBus implements EventSink {
    private final List<EventSink> sinks = new CopyOnWriteArrayList<>();

    public EventBus subscribe(EventSink sink) {
        sinks.add(sink);
        return this;
    }

    @Override
    public synchronized void accept(RunEvent event) {
        for (EventSink s : sinks) {
            s.accept(event);
        }
    }
}
