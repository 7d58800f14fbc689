package dev.opsctl.inventory;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether ansible-core 2.14's {@code parse_address(pattern, allow_ranges=True)} accepts a string:
 * a host name, IPv4 or IPv6 address (ranges such as {@code web[1:3]} allowed), optionally with a
 * {@code :port}. Ansible keeps such a pattern whole instead of splitting it at colons, so {@code
 * web:10} is one term (the host web, port 10), not the groups web and 10. Ported as written,
 * quirks included: its IPv6 expression anchors only its first alternative at the start (which
 * {@code re.match} does anyway) and only its last at the end, so anything that starts like an
 * IPv6 address ({@code db::web}, {@code 1::2::3}, nine hex groups) is accepted too.
 */
final class AnsibleAddress {
    private static final String NUMERIC_RANGE = "\\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String HEX_RANGE = "\\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\\]";
    private static final String ALNUM_RANGE = "\\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String V6 = "(?:[0-9a-f]{1,4}|" + HEX_RANGE + ")";
    private static final String V4 = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|" + NUMERIC_RANGE + ")";
    private static final String LABEL = "(?:[\\w]|" + ALNUM_RANGE + ")(?:[\\w_-]|" + ALNUM_RANGE + ")*(?<![_-])";
    // UNIX_LINES: '$' matches at the end or before a final '\n', as Python's '$' does.
    private static final int PYTHON = Pattern.UNIX_LINES;
    private static final int IGNORE_CASE = PYTHON | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    private static final Pattern BRACKETED_HOSTPORT = Pattern.compile("^\\[(.+)\\]:([0-9]+)$", PYTHON);
    private static final Pattern HOSTPORT = Pattern.compile("^((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)$", PYTHON);
    private static final Pattern IPV4 = Pattern.compile("^(?:" + V4 + "\\.){3}" + V4 + "$", IGNORE_CASE);
    private static final Pattern IPV6 = Pattern.compile("^(?:" + V6 + ":){7}" + V6
            + "|(?:" + V6 + ":){1,6}:"
            + "|(?:" + V6 + ":)(?::" + V6 + "){1,6}"
            + "|(?:" + V6 + ":){2}(?::" + V6 + "){1,5}"
            + "|(?:" + V6 + ":){3}(?::" + V6 + "){1,4}"
            + "|(?:" + V6 + ":){4}(?::" + V6 + "){1,3}"
            + "|(?:" + V6 + ":){5}(?::" + V6 + "){1,2}"
            + "|(?:" + V6 + ":){6}(?::" + V6 + ")"
            + "|:(?::" + V6 + "){1,6}"
            + "|" + V6 + "?::"
            + "|(?:0:){6}(?:" + V6 + "\\.){3}" + V6
            + "|::(?:ffff:)?(?:" + V6 + "\\.){3}" + V6
            + "|(?:0:){5}ffff:(?:" + V6 + "\\.){3}" + V6 + "$", IGNORE_CASE);
    private static final Pattern HOSTNAME = Pattern.compile("^" + LABEL + "(?:\\." + LABEL + ")*$",
            IGNORE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

    private AnsibleAddress() {}

    /** A host and the port written after it, if any. */
    record HostPort(String host, Optional<Integer> port) {}

    /** True when parse_address accepts {@code s}: Ansible then reads the whole pattern as one term. */
    static boolean parses(String s) {
        return parse(s).isPresent();
    }

    /** What parse_address makes of {@code s}, or empty where it raises. */
    static Optional<HostPort> parse(String s) {
        String address = s;
        Optional<Integer> port = Optional.empty();
        // As Ansible loops: after a [host]:port, the host is tried as host:port too.
        for (Pattern hostport : new Pattern[] {BRACKETED_HOSTPORT, HOSTPORT}) {
            Matcher m = hostport.matcher(address);
            if (m.lookingAt()) {
                address = m.group(1);
                port = Optional.of(m.group(2).length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(m.group(2)));
            }
        }
        boolean host = !address.isEmpty() && (IPV4.matcher(address).lookingAt() || IPV6.matcher(address).lookingAt()
                || HOSTNAME.matcher(address).lookingAt());
        return host ? Optional.of(new HostPort(address, port)) : Optional.empty();
    }
}
