package dev.opsctl.app;

import dev.opsctl.param.Param;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.source.DidYouMean;
import dev.opsctl.source.Durations;
import dev.opsctl.source.Secret;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns {@code -e key=value} strings, the params' {@code env} variables and defaults into typed
 * values: String, Long, Boolean, Duration, List of String, {@link Secret}. Every problem is
 * reported at once (exit 2): unknown keys (with a did-you-mean), bad values, missing params.
 */
public final class ParamResolver {
    private ParamResolver() {}

    public static Map<String, Object> resolve(Runbook runbook, List<String> extraVars, Map<String, String> environ)
            throws OpsctlException {
        List<String> errors = new ArrayList<>();
        Map<String, String> given = new LinkedHashMap<>();
        List<String> names = runbook.params().stream().map(Param::name).toList();
        for (String kv : extraVars) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                errors.add("bad -e '" + shown(kv) + "': expected KEY=VALUE");
                continue;
            }
            String key = kv.substring(0, eq).strip();
            if (runbook.param(key).isEmpty()) {
                errors.add("unknown param '" + key + "' for runbook '" + runbook.name() + "'; "
                        + (names.isEmpty() ? "it takes no params" : DidYouMean.hint(key, names)));
                continue;
            }
            given.put(key, kv.substring(eq + 1));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Param p : runbook.params()) {
            Optional<String> text = Optional.ofNullable(given.get(p.name()))
                    .or(() -> p.env().map(environ::get).filter(v -> !v.isEmpty()));
            if (text.isPresent()) {
                try {
                    values.put(p.name(), convert(p, text.get()));
                } catch (IllegalArgumentException e) {
                    errors.add(e.getMessage());
                }
            } else if (p.defaultValue().isPresent()) {
                values.put(p.name(), p.defaultValue().get());
            } else {
                errors.add("missing required param '" + p.name() + "': pass -e " + p.name() + "=VALUE"
                        + p.env().map(e -> " or set $" + e).orElse(""));
            }
        }
        if (errors.isEmpty()) {
            errors.addAll(DurationParams.problems(runbook, values));
        }
        if (!errors.isEmpty()) {
            throw OpsctlException.usage(String.join("\n", errors));
        }
        return values;
    }

    /** Converts one value to the param's type; a bad value throws with a message naming the param and the type. */
    public static Object convert(Param p, String text) {
        String t = text.strip();
        Object v = switch (p.type()) {
            case STRING -> text;
            case SECRET -> new Secret(text);
            case INT -> {
                try {
                    yield Long.parseLong(t);
                } catch (NumberFormatException e) {
                    throw bad(p, text, "an integer");
                }
            }
            case BOOL -> switch (t.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> Boolean.TRUE;
                case "false", "no", "off", "0" -> Boolean.FALSE;
                default -> throw bad(p, text, "true or false");
            };
            case DURATION -> Durations.parse(t).orElseThrow(() -> bad(p, text, "a duration like 90s, 5m or 1h30m"));
            case LIST -> t.isEmpty() ? List.of() : Arrays.stream(t.split(",")).map(String::strip).toList();
        };
        if (!p.choices().isEmpty() && !p.choices().contains(String.valueOf(v))) {
            throw new IllegalArgumentException("param '" + p.name() + "' must be one of " + String.join(", ", p.choices())
                    + ", got '" + shown(text) + "'");
        }
        return v;
    }

    private static IllegalArgumentException bad(Param p, String text, String expected) {
        return new IllegalArgumentException("param '" + p.name() + "' must be " + expected + ", got '" + shown(text) + "'");
    }

    /** Long values are cut in messages; a value shown back is never a secret (secrets do not fail to convert). */
    private static String shown(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
