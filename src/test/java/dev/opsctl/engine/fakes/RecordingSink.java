package dev.opsctl.engine.fakes;

import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import java.util.ArrayList;
import java.util.List;

/** Keeps every event, in order. */
public final class RecordingSink implements EventSink {
    private final List<RunEvent> events = new ArrayList<>();

    @Override
    public synchronized void accept(RunEvent event) {
        events.add(event);
    }

    public synchronized List<RunEvent> all() {
        return List.copyOf(events);
    }

    public <T extends RunEvent> List<T> of(Class<T> type) {
        return all().stream().filter(type::isInstance).map(type::cast).toList();
    }

    public List<RunEvent.StepFinished> finished(String host, String step) {
        return of(RunEvent.StepFinished.class).stream().filter(e -> e.host().equals(host) && e.step().equals(step)).toList();
    }
}
