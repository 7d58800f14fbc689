package dev.opsctl.event;

/**
 * A subscriber of run events. Called synchronously, in emission order, possibly from several host
 * threads at once (the bus serialises calls). Must not throw; a journal subscriber that cannot
 * write makes the run fail through the bus's error path.
 */
@FunctionalInterface
public interface EventSink {
    void accept(RunEvent event);
}
