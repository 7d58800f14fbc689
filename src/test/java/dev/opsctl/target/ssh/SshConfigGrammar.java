package dev.opsctl.target.ssh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Random ssh client configs for the differential test against {@code ssh -G}: Host and Match
 * blocks, Includes (relative to {@code ~/.ssh}, globs, inside blocks), the keywords opsctl honours
 * with good and bad values, keywords it ignores or that do not exist, written in every form ssh
 * reads (case, {@code =}, tabs, quotes, comments). The same seed gives the same configs.
 */
final class SshConfigGrammar {
    /** One {@code ssh -G} question: a host, and the user {@code -l} names if any. */
    record Query(String host, Optional<String> user) {
        String shown() {
            return host + user.map(u -> " -l " + u).orElse("");
        }
    }

    /**
     * One config: the file named with {@code -F}, files it may include (named relative to
     * {@code ~/.ssh}; {@code @HOME@} in any text is the home ssh and opsctl are given), and the
     * hosts asked about.
     */
    record Case(long seed, String config, Map<String, String> includes, List<Query> queries) {
        String shown() {
            StringBuilder out = new StringBuilder("seed " + seed + " (-Dsshfuzz.seed=" + seed + " -Dsshfuzz.configs=1)\n"
                    + "--- config\n" + config);
            includes.forEach((name, text) -> out.append("--- ~/.ssh/").append(name).append('\n').append(text));
            return out.toString();
        }
    }

    static final String LOCAL_USER = System.getProperty("user.name");

    private static final List<String> HOSTS = List.of("web1", "web2", "WEB1", "db1", "app1", "x.example.com",
            "Upper.Example.COM", "short", "10.0.0.5", "127.1", "::1", "2001:DB8::7", "bastion", "web1.example.com");
    private static final List<String> USERS = List.of("deploy", "Admin", LOCAL_USER);

    private static final List<String> HOST_PATTERNS = List.of("web*", "web?", "*.example.com", "!web2", "WEB1", "db*",
            "\"web1\"", "'db1'", "10.0.0.*", "*", "!*", "app1,app2", "*.EXAMPLE.COM", "::1", "short", "!*.example.com",
            "\"app *\"", "127.0.0.1", "x.*", "\"\"");
    private static final List<String> MATCH_HOSTS = List.of("web*", "*.example.com", "web1,db1", "!web2,web*", "WEB1",
            "\"db*,app*\"", "\"web1 db1\"", "10.0.0.*", "*", "127.0.0.1", "short.internal", "*.internal");
    private static final List<String> MATCH_USERS = List.of("deploy", "Admin", LOCAL_USER, "admin,deploy", "!deploy", "*",
            "ro*");

    /** Values ssh accepts, for each keyword the grammar writes. */
    private static final Map<String, List<String>> VALUES = new LinkedHashMap<>();
    /** Values ssh stops on (or that opsctl deliberately refuses), drawn one time in five. */
    private static final Map<String, List<String>> BAD_VALUES = new LinkedHashMap<>();

    static {
        values("HostName", List.of("web.example.com", "%h.example.com", "%h", "Upper.Example.COM", "10.0.0.9", "127.1",
                "2001:DB8:0::1", "%h.internal", "%h.%%", "short.internal", "'quoted.example.com'", "0x7f.1", "::1"),
                List.of("%p.example.com", "%n", "\"\"", "two words"));
        values("User", List.of("deploy", "Admin", "%u", "%r", "\"ops user\"", "root"), List.of("\"\"", "two words"));
        values("Port", List.of("22", "2222", "65535", "+2200", "0022", "\" 2022\""),
                List.of("0", "65536", "-1", "abc", "ssh", "22x", "http", "\"22 \"", "2222 2223", "\u0662\u0662"));
        values("IdentityFile", List.of("~/.ssh/id_work", "/keys/%h", "%d/.ssh/id_%r", "keys/rel", "none", "/keys/%C",
                "\"~/.ssh/id with space\"", "/keys/%n-%p", "~/.ssh/id_%l", "/keys/%j", "/keys/%k_%i_%L_%u", "/keys/100%%"),
                List.of("/keys/%z", "/keys/a /keys/b", "/keys/${HOME}", "/keys/%"));
        values("ProxyJump", List.of("bastion", "ops@bastion:2200", "jump1,jump2", "none", "NONE", "[::1]:2222",
                "ssh://u@jh:2022", "%h-jump", "jump # comment", "a@b@c", "jump1 ,jump2", "jump1 jump2", "u@[10.0.0.1]",
                "h:", "ssh://ops;fp=x@jh", "ssh://a%41+b@jh:2022", "ssh://jump_1", "ssh://jh:2022/",
                "ssh://u@[jh.]/"), List.of("u@jh:abc", "jump1, jump2", "jump:0", "jump:99999", "::1", "@h", "h/x", "ssh://h/x",
                "ssh://;fp=x@jh", "ssh://a%zz@jh", "ssh://a%00@jh", "jh:ssh", "ssh://jh:/", "ssh://-jh"));
        values("ProxyCommand", List.of("none", "ssh -W %h:%p bastion", "nc %h %p", "none # comment", "NONE"), List.of());
        values("ConnectTimeout", List.of("0", "5", "30", "5m", "1h", "none", "10s", "1w", "2d", "1h30m", "+7", "3S"),
                List.of("-1", "abc", "250ms", "99999999999", "5 6", "NONE", "1x", "\u0663", "\"\u20035\""));
        values("ServerAliveInterval", List.of("0", "5", "15", "2m", "none", "10s", "1h30m", "45"),
                List.of("-1", "abc", "250ms", "99999999999"));
        values("UserKnownHostsFile", List.of("~/.ssh/kh", "/tmp/kh1 /tmp/kh2", "none", "~/.ssh/kh_%h_%p", "/kh/%C",
                "/kh/%r@%n", "kh-relative", "%d/kh", "/kh/%k", "/kh/%i-%L-%l", "\"/kh/with space\"", "/kh/%u_%%"),
                List.of("none /tmp/x", "/kh/%j", "/kh/%z", "/kh/${HOME}", "\"\""));
        values("GlobalKnownHostsFile", List.of("/etc/kh", "none", "/g1 /g2", "/g/%h", "~/g", "g-relative"),
                List.of("none /g", "\"\""));
        values("StrictHostKeyChecking", List.of("yes", "no", "ask", "accept-new", "off", "true", "false", "Accept-New"),
                List.of("maybe", "yes no"));
        values("HostKeyAlias", List.of("Alias.Example", "none", "%h", "web1"), List.of("two words"));
        values("IdentitiesOnly", List.of("yes", "no", "true", "false", "YES"), List.of("maybe"));
        values("CanonicalizeHostname", List.of("no", "false", "yes", "true"), List.of("maybe"));
        values("ForwardAgent", List.of("yes", "no"), List.of());
        values("ControlMaster", List.of("auto", "no"), List.of());
        values("SendEnv", List.of("LANG LC_*"), List.of());
        values("LocalForward", List.of("8080 localhost:80"), List.of());
        values("Compression", List.of("yes"), List.of());
        values("CertificateFile", List.of("~/.ssh/cert"), List.of());
        values("Frobnicate", List.of("yes"), List.of());
        values("HostNmae", List.of("10.0.0.5"), List.of());
    }

    private static void values(String keyword, List<String> good, List<String> bad) {
        VALUES.put(keyword, good);
        BAD_VALUES.put(keyword, bad);
    }

    private static final List<String> IGNORE_UNKNOWN = List.of("Frob*", "frobnicate", "hostnmae,Frob*", "nothing");
    private static final String COMMENT_ALONE = "# a comment";

    private final Random random;
    private final long seed;
    private final String caseName;

    SshConfigGrammar(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        this.caseName = "c" + Long.toHexString(seed & 0xffffff);
    }

    Case generate() {
        Map<String, String> includes = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        if (random.nextInt(4) == 0) {
            lines.add(line("IgnoreUnknown", pick(IGNORE_UNKNOWN)));
        }
        int blocks = 1 + random.nextInt(4);
        settings(lines, includes, random.nextInt(3), 0);
        for (int b = 0; b < blocks; b++) {
            lines.add(random.nextInt(3) == 0 ? match() : host());
            settings(lines, includes, 1 + random.nextInt(4), 0);
        }
        List<Query> queries = new ArrayList<>();
        int n = 3 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            queries.add(new Query(pick(HOSTS), random.nextInt(4) == 0 ? Optional.of(pick(USERS)) : Optional.empty()));
        }
        return new Case(seed, String.join("\n", lines) + "\n", includes, queries);
    }

    private void settings(List<String> lines, Map<String, String> includes, int count, int depth) {
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(20);
            if (kind == 0 && depth == 0) {
                lines.add(include(includes));
            } else if (kind == 1) {
                lines.add(random.nextBoolean() ? COMMENT_ALONE : "");
            } else {
                String keyword = pick(List.copyOf(VALUES.keySet()));
                List<String> bad = BAD_VALUES.get(keyword);
                lines.add(line(keyword, pick(bad.isEmpty() || random.nextInt(5) > 0 ? VALUES.get(keyword) : bad)));
            }
        }
    }

    private String include(Map<String, String> includes) {
        String name = caseName + "-" + includes.size() + ".conf";
        List<String> lines = new ArrayList<>();
        if (random.nextBoolean()) {
            lines.add(host());
        }
        settings(lines, includes, 1 + random.nextInt(3), 1);
        if (random.nextInt(3) == 0) {
            lines.add(random.nextBoolean() ? host() : match());
            settings(lines, includes, 1 + random.nextInt(2), 1);
        }
        includes.put("inc/" + name, String.join("\n", lines) + "\n");
        String target = switch (random.nextInt(6)) {
            case 0 -> "inc/" + caseName + "-*.conf";
            case 1 -> "~/.ssh/inc/" + name;
            case 2 -> "@HOME@/.ssh/inc/" + name;
            case 3 -> "inc/" + name + " inc/missing-" + name;
            case 4 -> "inc/" + caseName + "-[0-9].conf";
            default -> "inc/" + name;
        };
        return line("Include", target);
    }

    private String host() {
        int n = 1 + random.nextInt(3);
        List<String> patterns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            patterns.add(pick(HOST_PATTERNS));
        }
        return header("Host", String.join(random.nextBoolean() ? " " : "\t", patterns));
    }

    private String match() {
        List<String> criteria = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            criteria.add(criterion());
        }
        return header("Match", String.join(" ", criteria));
    }

    private String criterion() {
        String not = random.nextInt(5) == 0 ? "!" : "";
        return switch (random.nextInt(14)) {
            case 0, 1, 2 -> not + spelled("host") + equalsOrSpace() + pick(MATCH_HOSTS);
            case 3, 4 -> not + spelled("originalhost") + equalsOrSpace() + pick(MATCH_HOSTS);
            case 5, 6 -> not + spelled("user") + equalsOrSpace() + pick(MATCH_USERS);
            case 7 -> not + spelled("localuser") + " " + pick(MATCH_USERS);
            case 8 -> not + spelled("all");
            case 9 -> not + spelled("canonical");
            case 10 -> not + spelled("final");
            case 11 -> not + "exec " + (random.nextBoolean() ? "true" : "false");
            case 12 -> "host"; // without its value: ssh's "Missing Match criteria"
            default -> "bogus x";
        };
    }

    private String equalsOrSpace() {
        return random.nextInt(4) == 0 ? "=" : " ";
    }

    private String header(String keyword, String args) {
        return spelled(keyword) + separator() + args + comment();
    }

    /** A setting line in one of the forms ssh reads alike. */
    private String line(String keyword, String value) {
        String indent = switch (random.nextInt(4)) {
            case 0 -> "";
            case 1 -> "\t";
            default -> "  ";
        };
        return indent + spelled(keyword) + separator() + value + comment();
    }

    private String separator() {
        return switch (random.nextInt(6)) {
            case 0 -> "=";
            case 1 -> " = ";
            case 2 -> "\t";
            case 3 -> "  ";
            default -> " ";
        };
    }

    private String comment() {
        return random.nextInt(8) == 0 ? " # trailing comment" : "";
    }

    private String spelled(String keyword) {
        return switch (random.nextInt(6)) {
            case 0 -> keyword.toLowerCase(Locale.ROOT);
            case 1 -> keyword.toUpperCase(Locale.ROOT);
            case 2 -> Character.toLowerCase(keyword.charAt(0)) + keyword.substring(1);
            default -> keyword;
        };
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
