package dev.opsctl.target.ssh;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    record Context(String host, String originalHost, String remoteUser, String localUser, String tag, boolean finalPass) {}

    private static final List<String> WITH_ARGUMENT = List.of("host", "originalhost", "user", "localuser", "exec", "tagged",
            "localnetwork", "version", "sessiontype", "command");
    /** Attributes opsctl cannot decide as ssh does, and why: a host they would decide for is refused. */
    private static final Map<String, String> UNDECIDED = Map.of(
            "exec", "decides by running a command, which opsctl does not do",
            "localnetwork", "depends on what opsctl cannot decide as ssh does (its local network)",
            "version", "depends on what opsctl cannot decide as ssh does (its version)",
            "sessiontype", "depends on what opsctl cannot decide as ssh does (the session)",
            "command", "depends on what opsctl cannot decide as ssh does (the command)");

    /**
     * Checks the line's form as ssh does for every host; a bad one is an error. {@code arguments} is
     * the text after {@code Match}, split here as ssh splits it ({@link #strdelim}).
     */
    static MatchLine parse(String where, String arguments) {
        List<String> words = strdelim(arguments);
        List<Criterion> out = new ArrayList<>();
        int attributes = 0;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.startsWith("#")) {
                break;
            }
            boolean negated = word.startsWith("!");
            String attribute = (negated ? word.substring(1) : word).toLowerCase(Locale.ROOT);
            if (attribute.equals("all")) {
                if (attributes > 1 || (i + 1 < words.size() && !words.get(i + 1).startsWith("#"))) { // as ssh: 'host x all' passes
                    throw new IllegalArgumentException("'" + word + "' cannot be combined with other Match attributes");
                }
                out.add(new Criterion(negated, attribute, Optional.empty()));
                return new MatchLine(where, out);
            }
            attributes++;
            if (attribute.equals("canonical") || attribute.equals("final")) {
                out.add(new Criterion(negated, attribute, Optional.empty()));
            } else if (WITH_ARGUMENT.contains(attribute)) {
                if (i + 1 >= words.size() || words.get(i + 1).isEmpty() || words.get(i + 1).startsWith("#")) {
                    throw new IllegalArgumentException("Match '" + word + "' needs a value");
                }
                out.add(new Criterion(negated, attribute, Optional.of(words.get(++i))));
            } else {
                throw new IllegalArgumentException("unsupported Match attribute '" + word + "'; OpenSSH knows all, canonical,"
                        + " final, host, originalhost, user, localuser, exec, tagged, localnetwork, version, sessiontype and command");
            }
        }
        if (attributes == 0) {
            throw new IllegalArgumentException("Match needs one or more attributes (Match all applies to every host)");
        }
        return new MatchLine(where, out);
    }

    /**
     * Words as OpenSSH's {@code strdelim} cuts a Match line, which differs from the other lines: a
     * word ends at a space or one {@code =}; a double quote keeps spaces up to the next one; a single
     * quote and a backslash are plain characters. An empty word ends the line, as in ssh.
     */
    static List<String> strdelim(String text) {
        List<String> out = new ArrayList<>();
        String s = text.strip();
        int i = 0;
        while (i < s.length()) {
            int j = i;
            while (j < s.length() && " \t\r\n\"=".indexOf(s.charAt(j)) < 0) {
                j++;
            }
            String word;
            boolean splitAtEquals = false;
            if (j < s.length() && s.charAt(j) == '"') {
                int close = s.indexOf('"', j + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated quote (\") in 'Match " + text.strip() + "'");
                }
                word = s.substring(i, j) + s.substring(j + 1, close);
                j = close;
            } else {
                word = s.substring(i, j);
                splitAtEquals = j < s.length() && s.charAt(j) == '=';
            }
            if (word.isEmpty()) {
                break;
            }
            out.add(word);
            i = skipSpaces(s, j + 1);
            if (!splitAtEquals && i < s.length() && s.charAt(i) == '=' && j < s.length() && s.charAt(j) != '"') {
                i = skipSpaces(s, i + 1);
            }
        }
        return out;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        return i;
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
                case "tagged" -> SshConfig.matchesCaseSensitive(c.argument().orElseThrow(), ctx.tag());
                default -> {
                    if (!result) {
                        yield true; // ssh skips the command (or check) once an earlier criterion failed
                    }
                    throw new ConfigRefusal(where + ": 'Match " + c.shown() + "' " + UNDECIDED.get(c.attribute())
                            + "; put a criterion before it that rules this host out (Match host ... " + c.attribute()
                            + " ...), or give opsctl a config without it (--ssh-config FILE)");
                }
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
