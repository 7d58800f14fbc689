package dev.opsctl.target.ssh;

import dev.opsctl.target.OwnUid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * OpenSSH's {@code %} tokens in the config values that take them (IdentityFile, UserKnownHostsFile,
 * IdentityAgent), and {@code ~}: {@code %h} is the host name after HostName, {@code %n} the name as
 * given. A token opsctl does not know, or an environment variable, is an error rather than a file
 * name with a {@code %} in it. {@code hostName} is lower-cased, as OpenSSH does; {@code proxyJump}
 * is the last hop's host, as OpenSSH's {@code %j}.
 */
record ConfigTokens(Path home, String localUser, String originalName, String hostName, int port, String remoteUser,
        Optional<String> hostKeyAlias, String proxyJump) {

    /** A HostName value: only {@code %h} (the name as given) and {@code %%}, as in OpenSSH. */
    static String hostName(String value, String originalName) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                out.append(c);
            } else if (i + 1 < value.length() && (value.charAt(i + 1) == '%' || value.charAt(i + 1) == 'h')) {
                out.append(value.charAt(++i) == '%' ? "%" : originalName);
            } else {
                throw new ConfigRefusal("HostName '" + value + "' may hold only the tokens '%h' and '%%'");
            }
        }
        return out.toString();
    }

    String expand(String keyword, String value) {
        String s = value.equals("~") || value.startsWith("~/") ? home + value.substring(1) : value;
        if (s.contains("${")) {
            throw new ConfigRefusal(keyword + " '" + value + "' names an environment variable, which opsctl does not expand");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 1 == s.length()) {
                throw new ConfigRefusal(keyword + " '" + value + "' ends with a lone '%'; write '%%' for a percent sign");
            }
            out.append(token(keyword, value, s.charAt(++i)));
        }
        return out.toString();
    }

    private String token(String keyword, String value, char t) {
        return switch (t) {
            case '%' -> "%";
            case 'd' -> home.toString();
            case 'u' -> localUser;
            case 'h' -> hostName;
            case 'n' -> originalName;
            case 'p' -> Integer.toString(port);
            case 'r' -> remoteUser;
            case 'k' -> hostKeyAlias.orElse(originalName);
            case 'j' -> proxyJump;
            case 'l' -> localHostName();
            case 'L' -> localHostName().split("\\.", 2)[0];
            case 'i' -> uid();
            case 'C' -> sha1(localHostName() + hostName + port + remoteUser + proxyJump);
            default -> throw new ConfigRefusal(keyword + " '" + value + "' has the token '%" + t + "', which opsctl does not know");
        };
    }

    private static String localHostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
    }

    private static String uid() {
        try {
            return Integer.toString(OwnUid.read());
        } catch (IOException e) {
            throw new ConfigRefusal("the token '%i' needs this process's uid, which cannot be read here: " + e.getMessage());
        }
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is always available", e);
        }
    }
}
