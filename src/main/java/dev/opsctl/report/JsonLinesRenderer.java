package dev.opsctl.report;

import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import java.io.PrintStream;

/** {@code -o json}: every event as one JSON object on its own line, flushed at once for pipes. */
public final class JsonLinesRenderer implements EventSink {
    private final PrintStream out;

    public JsonLinesRenderer(PrintStream out) {
        this.out = out;
    }

    @Override
    public void accept(RunEvent event) {
        synchronized (out) {
            out.println(JsonEvents.toLine(event));
            out.flush();
        }
    }
}
