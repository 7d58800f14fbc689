package dev.opsctl.action;

import dev.opsctl.source.Durations;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Problems;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.template.TemplateException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A step's duration written as such ({@code 10s}) or as a template ({@code "{{ poll_interval }}"})
 * that is only known when the step runs. A literal is checked when the runbook loads; a template
 * when it renders, and the step fails, before it waits at all, if it is not a duration above 0s.
 */
public record TemplatedDuration(Duration literal, Optional<String> template) {
    /** How a duration param renders: seconds, to the nanosecond. */
    private static final Pattern SECONDS = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,9})?");

    public static TemplatedDuration of(Duration literal) {
        return new TemplatedDuration(literal, Optional.empty());
    }

    /**
     * Reads {@code key} of {@code r}: a template, or a duration above 0s ({@code what} names it in
     * the error). Empty when the key is absent or wrong (the problem is reported).
     */
    public static Optional<TemplatedDuration> read(MapReader r, String key, String what, Problems problems) {
        Optional<TemplatedDuration> template = template(r, key);
        if (template.isPresent()) {
            return template;
        }
        Optional<Duration> d = r.duration(key);
        if (d.isPresent() && (d.get().isZero() || d.get().isNegative())) {
            problems.error(r.keyPos(key), what + " must be longer than 0s");
            return Optional.empty();
        }
        return d.map(TemplatedDuration::of);
    }

    /** {@code key} of {@code r} when it is a template; empty when it is absent or a literal. */
    public static Optional<TemplatedDuration> template(MapReader r, String key) {
        return r.node(key)
                .filter(n -> n instanceof ScalarNode s && s.kind() == ScalarNode.Kind.STRING && s.text().contains("{{"))
                .map(n -> new TemplatedDuration(Duration.ZERO, Optional.of(((ScalarNode) n).text())));
    }

    /** The duration, rendered if it is a template; a rendering that is no duration above 0s fails with a message naming {@code what}. */
    public Duration resolve(StepContext ctx, String what) throws Invalid {
        return resolve(ctx::render, ctx::mask, what);
    }

    public Duration resolve(Renderer renderer, UnaryOperator<String> mask, String what) throws Invalid {
        if (template.isEmpty()) {
            return literal;
        }
        String text;
        try {
            text = renderer.render(template.get()).strip();
        } catch (TemplateException e) {
            throw new Invalid("cannot render " + what + ": " + mask.apply(e.getMessage()));
        }
        // a duration param renders as seconds ("300", "0.25"), a string param as written ("5m")
        Optional<Duration> parsed = (SECONDS.matcher(text).matches() ? Optional.of(seconds(text)) : Durations.parse(text))
                .filter(d -> !d.isZero() && !d.isNegative());
        return parsed.orElseThrow(() -> new Invalid(what + " is '" + mask.apply(text) + "', not a duration longer than 0s (e.g. 5m)"));
    }

    private static Duration seconds(String text) {
        BigDecimal s = new BigDecimal(text);
        return Duration.ofSeconds(s.longValue(), s.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }

    /** The literal, or {@code unknown} for a template (a plan's estimate before the step runs). */
    public Duration orIfTemplate(Duration unknown) {
        return template.isPresent() ? unknown : literal;
    }

    public String describe() {
        return template.orElseGet(() -> Durations.format(literal));
    }

    /** Renders a template with the variables of the step that reads the duration. */
    @FunctionalInterface
    public interface Renderer {
        String render(String template) throws TemplateException;
    }

    /** A templated duration that rendered to something other than a duration above 0s. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }
}
