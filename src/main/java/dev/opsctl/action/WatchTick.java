package dev.opsctl.action;

import dev.opsctl.target.TargetException;
import java.util.Optional;

/**
 * A watching step's own check, run on every tick of a {@link StepContext#watch watch} before the
 * run's triggers are sampled: empty while all is well, else why the watch must end as failed.
 */
@FunctionalInterface
public interface WatchTick {
    WatchTick NONE = Optional::empty;

    Optional<String> check() throws TargetException, InterruptedException;
}
