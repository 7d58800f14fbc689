package dev.opsctl.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An IPv6 address as Ansible's parse_address reads one: eight groups of one to four hex digits,
 * or fewer with one {@code ::}, the last two groups optionally an IPv4 address. {@code
 * dc1:dc2:dc3} is not one: it is three terms.
 */
final class Ipv6Address {
    private static final Pattern GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|[01]?[0-9]{1,2})";
    private static final Pattern IPV4 = Pattern.compile("(?:" + OCTET + "\\.){3}" + OCTET);

    private Ipv6Address() {}

    static boolean matches(String s) {
        String hex = s;
        int lastColon = s.lastIndexOf(':');
        if (lastColon >= 0 && s.indexOf('.', lastColon) > 0) {
            if (!IPV4.matcher(s.substring(lastColon + 1)).matches()) {
                return false;
            }
            hex = s.substring(0, lastColon + 1) + "0:0";
        }
        int gap = hex.indexOf("::");
        if (gap >= 0 && hex.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        List<String> parts = new ArrayList<>();
        if (gap < 0) {
            parts.addAll(List.of(hex.split(":", -1)));
        } else {
            String head = hex.substring(0, gap);
            String tail = hex.substring(gap + 2);
            if (!head.isEmpty()) {
                parts.addAll(List.of(head.split(":", -1)));
            }
            if (!tail.isEmpty()) {
                parts.addAll(List.of(tail.split(":", -1)));
            }
        }
        for (String p : parts) {
            if (!GROUP.matcher(p).matches()) {
                return false;
            }
        }
        return gap < 0 ? parts.size() == 8 : parts.size() <= 7;
    }
}
