package dev.opsctl.target.ssh;

import java.util.Optional;

/**
 * A host name that is an IPv4 address in any form {@code inet_aton} accepts ({@code 127.1},
 * {@code 0x7f.0.0.1}, {@code 2130706433}), written as ssh writes it once it has read it:
 * dotted-quad decimal. ssh matches its final pass and looks up known_hosts under that form.
 */
final class NumericHost {
    private NumericHost() {}

    static Optional<String> ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Optional<Long> v = number(parts[i]);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            values[i] = v.get();
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 0xff) {
                return Optional.empty();
            }
            address |= values[i] << (24 - 8 * i);
        }
        long last = values[parts.length - 1];
        int lastBits = 32 - 8 * (parts.length - 1);
        if (last >= (1L << lastBits)) {
            return Optional.empty();
        }
        address |= last;
        return Optional.of((address >> 24 & 0xff) + "." + (address >> 16 & 0xff) + "." + (address >> 8 & 0xff) + "."
                + (address & 0xff));
    }

    /**
     * A host name that is an address, written as ssh writes it once read: an IPv4 address as
     * {@link #ipv4}, an IPv6 one lower-cased with its longest run of zero groups as {@code ::}.
     * A scoped ({@code %eth0}) or IPv4-mapped IPv6 address is left as given, as ssh leaves it.
     */
    static Optional<String> canonical(String host) {
        // ssh rewrites an address only if the written form differs in more than case (strcasecmp)
        return written(host).map(c -> c.equalsIgnoreCase(host) ? host : c);
    }

    private static Optional<String> written(String host) {
        Optional<String> v4 = ipv4(host);
        if (v4.isPresent() || host.indexOf(':') < 0 || host.indexOf('%') >= 0 || host.indexOf('.') >= 0) {
            return v4;
        }
        try {
            // a name with a colon is parsed as an IPv6 literal, never looked up
            if (java.net.InetAddress.getByName(host) instanceof java.net.Inet6Address a) {
                return Optional.of(compressed(a.getAddress()));
            }
        } catch (java.net.UnknownHostException e) {
            // not an address: used as given
        }
        return Optional.empty();
    }

    private static String compressed(byte[] a) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened, as inet_ntop does
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /**
     * Whether ssh treats the name as an address (never lower-cased, never canonicalised through
     * DNS): ssh's is_addr_fast takes any name with a {@code :} or a {@code %} (a scope) for one.
     */
    static boolean isAddress(String host) {
        return ipv4(host).isPresent() || host.indexOf(':') >= 0 || host.indexOf('%') >= 0;
    }

    private static Optional<Long> number(String part) {
        try {
            if (part.matches("0[xX][0-9a-fA-F]+")) {
                return Optional.of(Long.parseLong(part.substring(2), 16));
            }
            if (part.matches("0[0-7]*")) {
                return Optional.of(part.length() == 1 ? 0L : Long.parseLong(part.substring(1), 8));
            }
            if (part.matches("[1-9][0-9]*")) {
                return Optional.of(Long.parseLong(part));
            }
        } catch (NumberFormatException e) {
            // longer than a long: not an address
        }
        return Optional.empty();
    }
}
