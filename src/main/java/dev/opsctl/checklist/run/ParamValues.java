package dev.opsctl.checklist.run;

import dev.opsctl.checklist.Checklist;
import dev.opsctl.param.Param;
import dev.opsctl.param.ParamType;
import dev.opsctl.source.DidYouMean;
import dev.opsctl.source.Durations;
import dev.opsctl.source.Problems;
import dev.opsctl.source.Secret;
import dev.opsctl.source.SourcePos;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A checklist's params from {@code -e KEY=VALUE}, then the param's {@code env} variable, then its default;
 * typed as declared. Unknown keys, bad values and missing required params are problems.
 */
public final class ParamValues {
    private ParamValues() {}

    public static Map<String, Object> resolve(Checklist checklist, Map<String, String> given, Map<String, String> env, Problems problems) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : given.keySet()) {
            if (checklist.param(key).isEmpty()) {
                problems.error(at(key), "checklist '" + checklist.name() + "' has no param '" + key + "'",
                        DidYouMean.hint(key, checklist.params().stream().map(Param::name).toList()));
            }
        }
        for (Param p : checklist.params()) {
            Optional<String> text = Optional.ofNullable(given.get(p.name()))
                    .or(() -> p.env().map(env::get).filter(v -> !v.isEmpty()));
            if (text.isPresent()) {
                convert(p, text.get(), problems).ifPresent(v -> out.put(p.name(), v));
            } else if (p.defaultValue().isPresent()) {
                out.put(p.name(), p.defaultValue().get());
            } else {
                problems.error(at(p.name()), "param '" + p.name() + "' of checklist '" + checklist.name() + "' needs a value",
                        "pass -e " + p.name() + "=..." + p.env().map(e -> " or set " + e).orElse(""));
            }
        }
        return out;
    }

    private static Optional<Object> convert(Param p, String text, Problems problems) {
        if (!p.choices().isEmpty() && !p.choices().contains(text)) {
            problems.error(at(p.name()), "'" + text + "' is not a choice of param '" + p.name() + "'", DidYouMean.hint(text, p.choices()));
            return Optional.empty();
        }
        switch (p.type()) {
            case INT:
                try {
                    return Optional.of(Long.parseLong(text.strip()));
                } catch (NumberFormatException e) {
                    problems.error(at(p.name()), "param '" + p.name() + "' must be an integer, not '" + text + "'");
                    return Optional.empty();
                }
            case BOOL:
                if (text.equals("true") || text.equals("false")) {
                    return Optional.of(Boolean.parseBoolean(text));
                }
                problems.error(at(p.name()), "param '" + p.name() + "' must be true or false, not '" + text + "'");
                return Optional.empty();
            case DURATION:
                Optional<Object> d = Durations.parse(text).map(x -> x);
                if (d.isEmpty()) {
                    problems.error(at(p.name()), "param '" + p.name() + "' must be a duration like 30s or 5m, not '" + text + "'");
                }
                return d;
            case LIST:
                return Optional.of(Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
            case SECRET:
                return Optional.of(new Secret(text));
            default:
                return Optional.of(text);
        }
    }

    private static SourcePos at(String key) {
        return new SourcePos("-e " + key, 0, 0);
    }

    /** Names of the params whose values must never be shown. */
    public static List<String> secretNames(Checklist checklist) {
        return checklist.params().stream().filter(p -> p.type() == ParamType.SECRET).map(Param::name).toList();
    }
}
