package dev.opsctl.target.ssh;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A ProxyJump value as OpenSSH 9.2 (Debian's) reads it: the line's text up to a {@code #} and its
 * first word, quotes and all ({@code ProxyJump a b} is {@code a}); {@code none}, or hops kept apart
 * by commas, each {@code [user@]host[:port]}, {@code [user@][ipv6]:port} or
 * {@code ssh://[user@]host[:port][/]}. ssh stops on a hop it cannot read ("Invalid ProxyJump").
 */
final class ProxyJumpSyntax {
    private ProxyJumpSyntax() {}

    /** The value to keep, or why ssh stops on the line. */
    static String check(String written, String raw) {
        int comment = raw.indexOf('#');
        String text = (comment < 0 ? raw : raw.substring(0, comment)).strip();
        String value = text.split("[ \t]", 2)[0];
        if (value.equalsIgnoreCase("none")) {
            return value;
        }
        for (String hop : value.split(",", -1)) {
            Optional<String> port = port(hop);
            if (port.filter(p -> KeywordValues.port(p).isEmpty() && p.matches(KeywordValues.SERVICE_NAME)).isPresent()) {
                throw new IllegalArgumentException("'" + written + " " + raw + "' has the hop '" + hop + "', whose port '"
                        + port.get() + "' is not a number; ssh would look it up as a service name, which opsctl does not:"
                        + " write a number from 1 to 65535");
            }
            if (port.filter(ProxyJumpSyntax::portIsValid).isEmpty()) {
                throw new IllegalArgumentException("'" + written + " " + raw + "' has the hop '" + hop + "', which is not"
                        + " [user@]host[:port] or ssh://[user@]host[:port][/]; ssh stops on it too ('Invalid ProxyJump'):"
                        + " correct it, or write ProxyJump none");
            }
        }
        return value;
    }

    /** The hop's port as written ({@code ""} for none), if the rest of the hop is as ssh reads it. */
    private static Optional<String> port(String hop) {
        if (hop.startsWith("ssh://")) {
            String s = hop.substring(6);
            int at = s.indexOf('@');
            if (at >= 0 && uriUser(s.substring(0, at)).isEmpty()) {
                return Optional.empty();
            }
            // parse_uri: a '/' ends the host or the port; an empty path is none, any other is refused
            String rest = s.substring(at + 1);
            int slash = rest.indexOf('/');
            if (slash >= 0 && (slash < rest.length() - 1 || rest.startsWith(":", slash - 1))) {
                return Optional.empty(); // a path, or an empty port before the '/' (a2port(""))
            }
            return host(slash < 0 ? rest : rest.substring(0, slash), true).filter(h -> domain(h[0])).map(h -> h[1]);
        }
        int at = hop.lastIndexOf('@');
        if (at == 0) {
            return Optional.empty();
        }
        return host(hop.substring(at + 1), false).filter(h -> !h[0].isEmpty()).map(h -> h[1]);
    }

    /**
     * The user of {@code ssh://user;params@host} as parse_uri reads it: up to a {@code ;}, not empty,
     * {@code +} a space and {@code %XX} a byte (not {@code %00}); empty where ssh stops on it.
     */
    static Optional<String> uriUser(String written) {
        int semicolon = written.indexOf(';');
        String user = semicolon < 0 ? written : written.substring(0, semicolon);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < user.length()) {
            int c = user.codePointAt(i);
            if (c == '%') {
                int hi = i + 1 < user.length() ? hex(user.charAt(i + 1)) : -1;
                int lo = i + 2 < user.length() ? hex(user.charAt(i + 2)) : -1;
                if (hi < 0 || lo < 0 || hi + lo == 0) {
                    return Optional.empty();
                }
                out.write(hi << 4 | lo);
                i += 3;
            } else {
                out.writeBytes((c == '+' ? " " : Character.toString(c)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
            }
        }
        return user.isEmpty() ? Optional.empty() : Optional.of(out.toString(StandardCharsets.UTF_8));
    }

    /** An ASCII hex digit's value, as isxdigit reads it; -1 for anything else. */
    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /** The host and what follows its ':' (hpdelim); a '/' ends an ssh:// host and is an error elsewhere. */
    private static Optional<String[]> host(String s, boolean uri) {
        String host;
        String rest;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            host = s.substring(1, close);
            rest = s.substring(close + 1);
        } else {
            int end = 0;
            while (end < s.length() && s.charAt(end) != ':' && s.charAt(end) != '/') {
                end++;
            }
            host = s.substring(0, end);
            rest = s.substring(end);
        }
        if (rest.isEmpty()) {
            return host.isEmpty() ? Optional.empty() : Optional.of(new String[] {host, ""});
        }
        if (rest.charAt(0) != ':' || host.isEmpty()) {
            return Optional.empty(); // a path ('/'), or text after ']'
        }
        return Optional.of(new String[] {host, rest.substring(1)});
    }

    private static boolean portIsValid(String port) {
        return port.isEmpty() || KeywordValues.port(port).isPresent();
    }

    /** valid_domain: letters, digits, '-', '_' and '.', starting with a letter or digit, no doubled dot. */
    private static boolean domain(String host) {
        return host.matches("[A-Za-z0-9][A-Za-z0-9_.-]*") && !host.contains("..");
    }
}
