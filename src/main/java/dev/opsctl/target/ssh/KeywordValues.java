package dev.opsctl.target.ssh;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The values OpenSSH 9.2's readconf.c accepts for the keywords opsctl honours, checked on every
 * line whether its block applies to the host or not, as ssh checks them: ssh stops on a bad one
 * ("Bad port", "invalid time value", "extra arguments at end of line"), so no one has connected
 * with such a config, and reading it some other way would guess what was meant.
 */
final class KeywordValues {
    /** Keywords that take exactly one value (readconf.c's parse_string, parse_flag, parse_time, ...). */
    private static final Set<String> ONE_VALUE = Set.of("hostname", "user", "port", "identityfile", "connecttimeout",
            "serveraliveinterval", "serveralivecountmax", "hostkeyalias", "stricthostkeychecking", "identityagent", "identitiesonly",
            "revokedhostkeys", "hashknownhosts", "canonicalizehostname", "canonicalizemaxdots", "ignoreunknown", "tag",
            "refuseconnection");
    private static final Set<String> FLAGS = Set.of("identitiesonly", "hashknownhosts", "refuseconnection");
    private static final Set<String> TIMES = Set.of("connecttimeout", "serveraliveinterval");
    private static final List<String> FLAG_VALUES = List.of("yes", "no", "true", "false");
    private static final List<String> STRICT_VALUES = List.of("yes", "no", "ask", "accept-new", "off", "true", "false");
    private static final List<String> CANONICALIZE_VALUES = List.of("yes", "no", "always", "true", "false");

    /** What ssh's a2port looks up in /etc/services when it is not a number; opsctl looks no name up. */
    static final String SERVICE_NAME = "[A-Za-z][A-Za-z0-9-]*";

    private KeywordValues() {}

    /**
     * The value to keep for {@code keyword} written as {@code written} with {@code args} (the words
     * after it) and {@code raw} (its text unsplit), or why ssh stops on the line.
     */
    static String check(String keyword, String written, List<String> args, String raw) {
        if (keyword.equals("proxycommand")) {
            return raw; // ssh runs the rest of the line as written, '#' and all
        }
        if (keyword.equals("proxyjump")) {
            return ProxyJumpSyntax.check(written, raw);
        }
        if (args.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("'" + written + "' has an empty value (\"\"); ssh stops on it too: give it a"
                    + " value, or remove the line");
        }
        if (ONE_VALUE.contains(keyword) && args.size() > 1) {
            throw new IllegalArgumentException("'" + written + " " + String.join(" ", args) + "' has " + args.size()
                    + " values where ssh takes one; ssh stops on it too ('extra arguments at end of line'): quote a value"
                    + " that holds spaces, or remove the extra words");
        }
        String v = args.get(0);
        if (keyword.equals("port")) {
            port(v).orElseThrow(() -> new IllegalArgumentException("'" + written + " " + v + "' is not a port number; "
                    + (v.matches(SERVICE_NAME) ? "ssh would look it up as a service name, which opsctl does not:"
                            : "ssh stops on it too ('Bad port'):") + " write a number from 1 to 65535"));
        } else if (TIMES.contains(keyword) && !v.equals("none") && seconds(v).isEmpty()) {
            throw new IllegalArgumentException("'" + written + " " + v + "' is not a time; ssh stops on it too ('invalid"
                    + " time value'): write seconds (30), a time such as 5m or 1h30m, or none");
        } else if (keyword.equals("serveralivecountmax") && count(v).isEmpty()) {
            throw new IllegalArgumentException("'" + written + " " + v + "' is not a count; ssh stops on it too ('integer value"
                    + " invalid'): write a whole number from 0, such as 3");
        } else if (FLAGS.contains(keyword)) {
            oneOf(written, v, FLAG_VALUES);
        } else if (keyword.equals("stricthostkeychecking")) {
            oneOf(written, v, STRICT_VALUES);
        } else if (keyword.equals("canonicalizehostname")) {
            oneOf(written, v, CANONICALIZE_VALUES);
        } else if (SshConfig.FILE_LISTS.contains(keyword) && args.size() > 1
                && args.stream().anyMatch(a -> a.equalsIgnoreCase("none"))) {
            throw new IllegalArgumentException("'" + written + "' names 'none' among other files; ssh stops on it too"
                    + " ('\"none\" argument must appear alone'): write none alone, or only the files");
        }
        return String.join(SshConfig.FILE_LISTS.contains(keyword) ? SshConfig.FILE_SEPARATOR : " ", args);
    }

    private static void oneOf(String written, String value, List<String> allowed) {
        if (!allowed.contains(value.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("'" + written + " " + value + "' is not one of " + String.join(", ", allowed)
                    + "; ssh stops on it too ('unsupported option'): write one of them");
        }
    }

    /** A yes/no keyword's value: {@code true} is {@code yes}, as in ssh. */
    static boolean yes(String value) {
        return value.equalsIgnoreCase("yes") || value.equalsIgnoreCase("true");
    }

    /** A port as ssh's a2port reads a number: decimal, sign and leading spaces allowed, 1 to 65535. */
    static Optional<Integer> port(String s) {
        Optional<Long> n = decimal(s);
        return n.filter(p -> p >= 1 && p <= 65535).map(Long::intValue);
    }

    /** A count as ssh's parse_int reads one (strtonum from 0 to INT_MAX): ServerAliveCountMax. */
    static Optional<Integer> count(String s) {
        return decimal(s).filter(n -> n >= 0 && n <= Integer.MAX_VALUE).map(Long::intValue);
    }

    /**
     * Seconds as OpenSSH's convtime reads them: numbers each followed by s, m, h, d or w (the last
     * may stand alone, as seconds), none negative, in all at most {@code INT_MAX}.
     */
    static Optional<Long> seconds(String s) {
        if (s.isEmpty()) {
            return Optional.empty();
        }
        long total = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && space(s.charAt(i))) {
                i++;
            }
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int digits = i;
            while (i < s.length() && i - digits < 12 && digit(s.charAt(i))) {
                i++;
            }
            if (i == digits || (i < s.length() && digit(s.charAt(i)))) {
                return Optional.empty();
            }
            long n = Long.parseLong(s.substring(start, i).strip());
            long unit = i == s.length() ? 1 : switch (Character.toLowerCase(s.charAt(i++))) {
                case 's' -> 1;
                case 'm' -> 60;
                case 'h' -> 3600;
                case 'd' -> 86400;
                case 'w' -> 604800;
                default -> -1;
            };
            if (n < 0 || unit < 0 || n > Integer.MAX_VALUE / unit || total + n * unit > Integer.MAX_VALUE) {
                return Optional.empty();
            }
            total += n * unit;
        }
        return Optional.of(total);
    }

    /** strtoll's decimal with nothing after it, as strtonum takes it. */
    private static Optional<Long> decimal(String s) {
        int i = 0;
        while (i < s.length() && space(s.charAt(i))) {
            i++;
        }
        String t = s.substring(i);
        if (!t.matches("[+-]?[0-9]{1,12}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(t));
    }

    /** A digit as strtol reads one: '0' to '9' only (Character.isDigit and Long.parseLong take ٣ too). */
    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Space as strtol skips it (isspace in the C locale), not Java's wider Character.isWhitespace. */
    private static boolean space(char c) {
        return " \t\n\u000b\f\r".indexOf(c) >= 0;
    }
}
