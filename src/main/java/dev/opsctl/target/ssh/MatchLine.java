package dev.opsctl.target.ssh;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code Match} line, checked as OpenSSH 9.2's {@code match_cfg_line} checks it: every criterion
 * must hold ({@code !} negates one); {@code all} holds alone; {@code canonical} and {@code final}
 * hold only in the final pass (opsctl never canonicalises, so that pass exists only when a
 * {@code Match final} asks for it). {@code exec} would run a command, which opsctl does not: a host
 * whose config depends on one is refused ({@link ConfigRefusal}).
 */
record MatchLine(String where, List<Criterion> criteria) {
    record Criterion(boolean negated, String attribute, Optional<String> argument) {
        String shown() {
            return (negated ? "!" : "") + attribute + argument.map(a -> " " + a).orElse("");
        }
    }

    /** What a Match line is checked against: the host as far as the config has made it. */
    record Context(String host, String originalHost, String remoteUser, String localUser, boolean finalPass) {}

    private static final List<String> WITH_ARGUMENT = List.of("host", "originalhost", "user", "localuser", "exec");

    /** Checks the line's form as ssh does for every host; a bad one is an error ({@code file:line: ...}). */
    static MatchLine parse(String where, List<String> words) {
        List<Criterion> out = new ArrayList<>();
        int attributes = 0;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            boolean negated = word.startsWith("!");
            String attribute = (negated ? word.substring(1) : word).toLowerCase(Locale.ROOT);
            if (attribute.equals("all")) {
                if (attributes > 1 || i + 1 < words.size()) {
                    throw new IllegalArgumentException("'" + word + "' cannot be combined with other Match attributes");
                }
                out.add(new Criterion(negated, attribute, Optional.empty()));
                return new MatchLine(where, out);
            }
            attributes++;
            if (attribute.equals("canonical") || attribute.equals("final")) {
                out.add(new Criterion(negated, attribute, Optional.empty()));
            } else if (WITH_ARGUMENT.contains(attribute)) {
                if (i + 1 >= words.size()) {
                    throw new IllegalArgumentException("Match '" + word + "' needs a value");
                }
                out.add(new Criterion(negated, attribute, Optional.of(words.get(++i))));
            } else {
                throw new IllegalArgumentException("unsupported Match attribute '" + word + "'; OpenSSH 9.2, as opsctl, knows"
                        + " all, canonical, final, host, originalhost, user, localuser and exec");
            }
        }
        if (attributes == 0) {
            throw new IllegalArgumentException("Match needs one or more attributes (Match all applies to every host)");
        }
        return new MatchLine(where, out);
    }

    /** Whether ssh would make a final pass over the config for this line ({@code Match final}, negated or not). */
    boolean asksForFinalPass() {
        return criteria.stream().anyMatch(c -> c.attribute().equals("final"));
    }

    boolean matches(Context ctx) {
        boolean result = true;
        for (Criterion c : criteria) {
            boolean holds = switch (c.attribute()) {
                case "all" -> true;
                case "canonical", "final" -> ctx.finalPass();
                case "host" -> SshConfig.matches(List.of(c.argument().orElseThrow()), ctx.host());
                case "originalhost" -> SshConfig.matches(List.of(c.argument().orElseThrow()), ctx.originalHost());
                case "user" -> SshConfig.matchesCaseSensitive(c.argument().orElseThrow(), ctx.remoteUser());
                case "localuser" -> SshConfig.matchesCaseSensitive(c.argument().orElseThrow(), ctx.localUser());
                case "exec" -> {
                    if (!result) {
                        yield true; // ssh skips the command once an earlier criterion failed
                    }
                    throw new ConfigRefusal(where + ": 'Match " + c.shown() + "' decides by running a command, which opsctl"
                            + " does not do; put a criterion before it that rules this host out (Match host ... exec ...),"
                            + " or give opsctl a config without it (--ssh-config FILE)");
                }
                default -> throw new IllegalStateException(c.attribute());
            };
            if (c.attribute().equals("all")) {
                return result && !c.negated();
            }
            if (holds == c.negated()) {
                result = false;
            }
        }
        return result;
    }
}
