package dev.opsctl.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A few fixed inventories and random host patterns over their names: names and near misses,
 * globs ({@code *}, {@code ?}, {@code [abc]}, {@code [!a-c]}), {@code ~regex}, {@code all},
 * {@code *}, {@code localhost}, IPv6 addresses and ranges (where a colon does not split),
 * subscripts, {@code &} and {@code !} terms anywhere in the pattern, {@code :} and {@code ,}
 * separators with empty terms, whitespace and repeats.
 */
final class HostPatternGrammar {
    /**
     * Name -> text. Each group's hosts come in one order in Ansible, except in 'identity.ini', where
     * two groups of one level have children and Ansible's order follows object identity.
     */
    static final Map<String, String> INVENTORIES = new java.util.TreeMap<>(Map.of(
            "fleet.ini", """
                    bastion ansible_host=203.0.113.7
                    10.0.0.9
                    2001:db8::1

                    [web]
                    web[01:04]
                    web-eu.example.com

                    [web:children]
                    web_canary

                    [web_canary]
                    web03

                    [web_canary:children]
                    web_canary_eu

                    [web_canary_eu]
                    web-eu.example.com
                    WEB05

                    [db]
                    db1
                    db2
                    db-[a:c]
                    db_x.internal

                    [prod:children]
                    web
                    db

                    [staging]
                    stg1
                    web01
                    10.0.0.9

                    [monitoring]
                    mon.1
                    DB1

                    [10]
                    ten1

                    [empty]

                    [edge.eu]
                    edge1
                    bastion

                    [bastion]
                    bastion
                    """,
            "cloud.yml", """
                    all:
                      hosts:
                        jump.example.com:
                        10.1.0.1:
                      children:
                        app:
                          hosts:
                            app[1:3]:
                            App4:
                          children:
                            app_canary:
                              hosts:
                                app3:
                              children:
                                app_canary_blue:
                                  hosts:
                                    app_blue-1:
                        dbs:
                          hosts:
                            db_1:
                            db_2:
                            "fe80::10":
                        local:
                          hosts:
                            localhost:
                        eu:
                          hosts:
                            app1:
                            db_2:
                        empty_group:
                    """,
            "identity.ini", """
                    [a:children]
                    a1
                    a2

                    [a1:children]
                    a1x

                    [a2:children]
                    a2x

                    [a1]
                    h1

                    [a2]
                    h2

                    [a1x]
                    h3

                    [a2x]
                    h4
                    h1

                    [solo]
                    h5
                    127.0.0.1
                    """));

    /** Names of each inventory's hosts and groups, and near misses. */
    private static final Map<String, List<String>> NAMES = Map.of(
            "fleet.ini", List.of("bastion", "10.0.0.9", "2001:db8::1", "web", "web01", "web02", "web04", "web-eu.example.com",
                    "web_canary", "web03", "web_canary_eu", "WEB05", "db", "db1", "db2", "db-a", "db-c", "db_x.internal", "prod",
                    "staging", "stg1", "monitoring", "mon.1", "DB1", "10", "ten1", "empty", "ungrouped",
                    "edge.eu", "edge1", "Web", "web05", "dbb", "stg", "mon1", "nosuch"),
            "cloud.yml", List.of("jump.example.com", "10.1.0.1", "app", "app1", "app2", "app3", "App4", "app_canary",
                    "app_canary_blue", "app_blue-1", "dbs", "db_1", "db_2", "fe80::10", "local", "localhost", "eu", "empty_group",
                    "ungrouped", "APP", "app4", "db", "jump", "Local"),
            "identity.ini", List.of("a", "a1", "a2", "a1x", "a2x", "h1", "h2", "h3", "h4", "h5", "127.0.0.1", "solo", "ungrouped", "b", "h6"));

    private static final List<String> EVERYWHERE = List.of("all", "*", "localhost", "127.0.0.1", "::1", "ALL", "LOCALHOST", "al?");
    private static final List<String> REGEXES = List.of("~web0[1-3]", "~(db|app)", "~.*\\.example", "~WEB", "~[a-z]+_",
            "~web.*eu", "~h[13]", "~a\\d", "~^db", "~(?i)web0", "~app[0-9]$", "~db.", "~.", "~x|db1", "~10\\.", "~[", "~a{,2}pp",
            "~(?P<n>db)1", "~\\Aweb", "~db\\Z", "~[[:alpha:]]", "~a1?x", "~*", "~(?i)WEB0", "~web\\d+$", "~[^w]", "~.*-",
            "~\\w+\\.", "~[\\w.]+\\.internal", "~e{2}", "~db\\b", "~[a-c&&b]", "~[]d]b", "~a{1}pp", "~web0[^1-2]", "~\\S+\\s*$",
            "~(?s).", "~(?x) d b", "~\\x61", "~h[[1]", "~w(?=eb)", "~(?!db)..1", "~\\p{L}b", "~(?<n>db)1", "~\\hweb",
            "~\\Qdb\\E", "~db\\z", "~(?U)db", "~\\vdb", "~\\edb", "~a\\Gpp", "~db\\d\\R?", "~(?<=x)db", "~\\u0064b", "~\\N{LATIN SMALL LETTER D}b",
            "~\\144b", "~\\0", "~(db)\\1", "~(?i:W)EB", "~(?-i)db", "~db(?#note)", "~[\\d-z]b", "~(?>db)1", "~db1++", "~\\Bb");
    private static final List<String> WHOLE = List.of("2001:db8::1", "web[01:02]", "db-[a:c]", "web:10", "::1", "fe80::10",
            "app[1:3]", "10.0.0.9:22", "[::1]:22", "web01:22", "db::web", "h1:h2", "a1:!a1x", "10:web");
    private static final List<String> SUBSCRIPTS = List.of("[0]", "[1]", "[-1]", "[-2]", "[1:3]", "[1:]", "[:2]", "[0:0]",
            "[2:0]", "[1-2]", "[9]", "[-9]", "[3:1]", "[5:]", "[00]", "[0:1]", "[0]", "[-1]", "[0:]", "[1:2]", "[01]", "[0123456789]", "[1:99999999999]", "[-0]", "[ 1]", "[1:-1]", "[12345678901]");

    private final Random random;

    HostPatternGrammar(long seed) {
        this.random = new Random(seed);
    }

    /** A random pattern over the names of {@code inventory}. */
    String pattern(String inventory) {
        if (random.nextInt(14) == 0) {
            return pick(WHOLE);
        }
        int terms = 1 + random.nextInt(random.nextInt(4) + 1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < terms; i++) {
            out.add(i > 0 && random.nextInt(10) == 0 ? out.get(random.nextInt(i)) : term(inventory, i));
        }
        boolean commas = random.nextInt(3) == 0;
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < out.size(); i++) {
            if (i > 0) {
                p.append(separator(commas));
            }
            p.append(out.get(i));
        }
        if (random.nextInt(12) == 0) {
            p.append(commas ? "," : ":");
        }
        if (random.nextInt(15) == 0) {
            p.insert(0, commas ? "," : ":");
        }
        return random.nextInt(15) == 0 ? " " + p + " " : p.toString();
    }

    private String separator(boolean commas) {
        String s = commas ? "," : ":";
        return switch (random.nextInt(12)) {
            case 0 -> s + s;
            case 1 -> commas ? ", " : ":";
            case 2 -> commas ? " ," : ":";
            case 3 -> commas ? "," : " ";
            case 4 -> commas ? ",\t" : "\t";
            case 5 -> commas ? ":" : ",";
            case 6 -> commas ? ",\u00a0" : "\u00a0";
            default -> s;
        };
    }

    private String term(String inventory, int position) {
        String prefix = switch (random.nextInt(position == 0 ? 6 : 4)) {
            case 0 -> "!";
            case 1 -> random.nextInt(20) == 0 ? "&!" : "&";
            default -> random.nextInt(40) == 0 ? "!!" : "";
        };
        if (random.nextInt(40) == 0) {
            return prefix;
        }
        String base = base(inventory);
        if (!base.startsWith("~") && random.nextInt(4) == 0 || random.nextInt(40) == 0) {
            base += pick(SUBSCRIPTS);
        }
        return prefix + base;
    }

    private String base(String inventory) {
        String name = pick(NAMES.get(inventory));
        return switch (random.nextInt(12)) {
            case 0 -> pick(EVERYWHERE);
            case 1, 2 -> pick(REGEXES);
            case 3 -> name.substring(0, random.nextInt(name.length() + 1)) + "*";
            case 4 -> "*" + name.substring(random.nextInt(name.length()));
            case 5 -> questionMark(name);
            case 6 -> charClass(name);
            default -> name;
        };
    }

    private String questionMark(String name) {
        int i = random.nextInt(name.length());
        return name.substring(0, i) + "?" + name.substring(i + 1);
    }

    private String charClass(String name) {
        int i = random.nextInt(name.length());
        String cls = switch (random.nextInt(6)) {
            case 0 -> "[" + name.charAt(i) + "x]";
            case 1 -> "[!" + name.charAt(i) + "]";
            case 2 -> "[0-9]";
            case 3 -> "[a-c]";
            case 4 -> "[!a-z]";
            default -> "[" + (char) (name.charAt(i) + 1) + "-" + name.charAt(i) + "]";
        };
        return name.substring(0, i) + cls + name.substring(i + 1);
    }

    private String pick(List<String> from) {
        return from.get(random.nextInt(from.size()));
    }
}
