package dev.opsctl.engine.execute;

import dev.opsctl.source.Secret;
import dev.opsctl.template.Masker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The run's masking function, built once from every secret value it holds. */
public final class Masks {
    private Masks() {}

    /** Identity when the run has no secrets (nothing to hide, and no scan of every output line). */
    public static UnaryOperator<String> of(Collection<String> secrets) {
        List<String> values = secrets.stream().filter(s -> !s.isEmpty()).distinct().toList();
        if (values.isEmpty()) {
            return UnaryOperator.identity();
        }
        Masker masker = new Masker(values);
        return masker::mask;
    }

    /** Every {@link Secret} among the params, plus the sudo password. */
    public static UnaryOperator<String> forRun(Map<String, Object> params, Optional<Secret> sudoPassword) {
        List<String> secrets = new ArrayList<>();
        params.values().forEach(v -> {
            if (v instanceof Secret s) {
                secrets.add(s.reveal());
            }
        });
        sudoPassword.ifPresent(s -> secrets.add(s.reveal()));
        return of(secrets);
    }
}
