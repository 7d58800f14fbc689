package dev.opsctl.engine.trigger;

import dev.opsctl.runbook.model.Trigger;
import java.util.List;
import java.util.Map;

/** What evaluating a host's triggers decided: nothing to do, or fire one trigger. Decides, never acts. */
public sealed interface TriggerVerdict {
    Ok QUIET = new Ok(List.of());

    /** Nothing fired. {@code notes}: what the operator may want to see (a trigger pending, a probe that could not be judged). */
    record Ok(List<String> notes) implements TriggerVerdict {
        public Ok {
            notes = List.copyOf(notes);
        }
    }

    /** {@code trigger} fired; {@code evidence} says why in one line, {@code values} are what its condition read (unmasked). */
    record Fire(Trigger trigger, String evidence, Map<String, Object> values) implements TriggerVerdict {
        public Fire {
            values = Map.copyOf(values);
        }
    }
}
