package dev.opsctl.template;

import dev.opsctl.source.Secret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Replaces every occurrence of the run's secret values with {@link Secret#MASK}. Immutable and
 * thread-safe.
 *
 * <p>Secrets shorter than {@value #MIN_LENGTH} characters are not masked: masking a one- or
 * two-character value would shred all output while hiding nothing worth hiding. Besides the value
 * itself, the forms a value takes once substituted are masked too: shell-quoted ({@code 'pa'\''ss'})
 * and JSON-escaped; and each line of a multi-line secret (a key) on its own. Longer values are
 * masked first, in one pass, so a secret that contains another is masked whole.
 */
public final class Masker {
    public static final int MIN_LENGTH = 4;
    public static final Masker NONE = new Masker(List.of());

    private final Set<String> secrets;
    private final Optional<Pattern> pattern;

    /** Nulls and values shorter than {@value #MIN_LENGTH} characters are ignored. */
    public Masker(Collection<String> secrets) {
        Set<String> kept = new LinkedHashSet<>();
        for (String s : secrets == null ? List.<String>of() : secrets) {
            if (s != null && s.length() >= MIN_LENGTH) {
                kept.add(s);
            }
        }
        this.secrets = Set.copyOf(kept);
        this.pattern = compile(kept);
    }

    /** {@code text} with every secret replaced; {@code null} gives the empty string. */
    public String mask(String text) {
        if (text == null) {
            return "";
        }
        if (pattern.isEmpty()) {
            return text;
        }
        return pattern.get().matcher(text).replaceAll(Matcher.quoteReplacement(Secret.MASK));
    }

    /** A masker for these secrets and {@code more}. */
    public Masker plus(Collection<String> more) {
        List<String> all = new ArrayList<>(secrets);
        all.addAll(more);
        return new Masker(all);
    }

    private static Optional<Pattern> compile(Set<String> secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (String s : secrets) {
            forms.add(s);
            forms.add(s.replace("'", "'\\''"));
            forms.add(ShellQuote.quote(s));
            forms.add(Values.jsonEscape(s));
            if (s.indexOf('\n') >= 0) {
                s.lines().map(String::strip).filter(l -> l.length() >= MIN_LENGTH).forEach(forms::add);
            }
        }
        if (forms.isEmpty()) {
            return Optional.empty();
        }
        String alternation = forms.stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .map(Pattern::quote)
                .collect(Collectors.joining("|"));
        return Optional.of(Pattern.compile(alternation));
    }
}
