package dev.opsctl.engine.execute;

import dev.opsctl.source.Durations;
import dev.opsctl.source.Secret;
import java.time.Duration;
import java.util.Collection;

/** A typed param value written back as an operator would type it after {@code -e name=}. */
public final class ParamText {
    private ParamText() {}

    public static String format(Object v) {
        if (v instanceof Secret) {
            return Secret.MASK;
        }
        if (v instanceof Duration d) {
            return Durations.format(d);
        }
        if (v instanceof Collection<?> c) {
            return String.join(",", c.stream().map(ParamText::format).toList());
        }
        return String.valueOf(v);
    }
}
