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
        DurableSink durable = null;
        long ticket = 0;
        List<DurableSink> moreDurable = null;
        List<Long> moreTickets = null;
        synchronized (this) {
            for (EventSink s : sinks) {
                if (!(s instanceof DurableSink d)) {
                    s.accept(event);
                } else if (durable == null) {
                    durable = d;
                    ticket = d.append(event);
                } else {
                    if (moreDurable == null) {
                        moreDurable = new ArrayList<>();
                        moreTickets = new ArrayList<>();
                    }
                    moreDurable.add(d);
                    moreTickets.add(d.append(event));
                }
            }
        }
        if (durable != null) {
            durable.awaitDurable(ticket);
        }
        for (int i = 0; moreDurable != null && i < moreDurable.size(); i++) {
            moreDurable.get(i).awaitDurable(moreTickets.get(i));
        }
    }
}
