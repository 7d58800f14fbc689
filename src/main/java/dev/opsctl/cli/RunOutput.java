package dev.opsctl.cli;

import dev.opsctl.event.EventBus;
import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.report.ConsoleMode;
import dev.opsctl.report.ConsoleRenderer;
import dev.opsctl.report.JsonLinesRenderer;

/**
 * Where a run's events go. Text: the console renderer (progress on stderr, summary on stdout).
 * JSON: one event per line on stdout, and the console's progress on stderr for whoever watches.
 */
final class RunOutput implements EventSink, AutoCloseable {
    private final EventBus bus = new EventBus();
    private final ConsoleRenderer console;

    private RunOutput(ConsoleRenderer console) {
        this.console = console;
        bus.subscribe(console);
    }

    static RunOutput open(CliEnv env, OutputMixin output) {
        ConsoleMode mode = ConsoleMode.detect(env.env(), env.terminal());
        if (!output.json()) {
            return new RunOutput(new ConsoleRenderer(env.out(), env.err(), mode));
        }
        RunOutput o = new RunOutput(new ConsoleRenderer(env.err(), env.err(), mode));
        o.bus.subscribe(new JsonLinesRenderer(env.out()));
        return o;
    }

    @Override
    public void accept(RunEvent event) {
        bus.accept(event);
    }

    @Override
    public void close() {
        console.close();
    }
}
