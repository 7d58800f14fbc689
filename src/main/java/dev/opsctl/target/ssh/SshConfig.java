package dev.opsctl.target.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The part of an OpenSSH client config ({@code ~/.ssh/config}) that opsctl honours: {@code Host}
 * blocks with patterns ({@code *}, {@code ?}, {@code !negation}, several per line) and the keywords
 * in {@link #SUPPORTED}. As in OpenSSH the first value obtained for a keyword wins, except
 * {@code IdentityFile}, which accumulates. {@code Match} blocks are skipped (never match).
 * Immutable and thread-safe.
 */
public final class SshConfig {
    static final Set<String> SUPPORTED = Set.of("hostname", "user", "port", "identityfile", "proxyjump", "connecttimeout",
            "serveraliveinterval", "userknownhostsfile", "stricthostkeychecking", "identityagent", "identitiesonly");
    private static final Set<String> ACCUMULATING = Set.of("identityfile");

    private record Block(List<String> patterns, boolean match, Map<String, List<String>> options) {}

    private final String file;
    private final List<Block> blocks;
    private final List<String> warnings;

    private SshConfig(String file, List<Block> blocks, List<String> warnings) {
        this.file = file;
        this.blocks = List.copyOf(blocks);
        this.warnings = List.copyOf(warnings);
    }

    public static SshConfig empty() {
        return new SshConfig("<none>", List.of(), List.of());
    }

    /** Reads a config file; a missing file is an empty config, an unreadable one an {@link IOException}. */
    public static SshConfig load(Path path) throws IOException {
        try {
            return parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return empty();
        }
    }

    public static SshConfig parse(String file, String text) {
        List<Block> blocks = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Block current = new Block(List.of("*"), false, new LinkedHashMap<>());
        blocks.add(current);
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            List<String> words = words(lines[i]);
            if (words.isEmpty()) {
                continue;
            }
            String key = words.get(0).toLowerCase(Locale.ROOT);
            List<String> args = words.subList(1, words.size());
            if (key.equals("host")) {
                current = new Block(List.copyOf(args), false, new LinkedHashMap<>());
                blocks.add(current);
            } else if (key.equals("match")) {
                current = new Block(List.of(), true, new LinkedHashMap<>());
                blocks.add(current);
                warnings.add(file + ":" + (i + 1) + ": 'Match' blocks are not supported by opsctl; the block is ignored");
            } else if (key.equals("include")) {
                warnings.add(file + ":" + (i + 1) + ": 'Include' is not supported by opsctl; the included files are ignored");
            } else if (SUPPORTED.contains(key)) {
                if (args.isEmpty()) {
                    warnings.add(file + ":" + (i + 1) + ": '" + words.get(0) + "' needs a value");
                } else {
                    current.options().computeIfAbsent(key, k -> new ArrayList<>()).add(String.join(" ", args));
                }
            }
        }
        return new SshConfig(file, blocks, warnings);
    }

    /** Things in the file opsctl does not honour, as {@code file:line: message}. */
    public List<String> warnings() {
        return warnings;
    }

    public String file() {
        return file;
    }

    /** The options that apply to {@code host} (the name as given, before HostName), first value first. */
    public Map<String, List<String>> resolve(String host) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Block b : blocks) {
            if (b.match() || !matches(b.patterns(), host)) {
                continue;
            }
            b.options().forEach((k, v) -> {
                if (ACCUMULATING.contains(k)) {
                    out.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v);
                } else {
                    out.putIfAbsent(k, List.of(v.get(0)));
                }
            });
        }
        return out;
    }

    /** OpenSSH semantics: any matching negated pattern rejects; otherwise any positive match accepts. */
    static boolean matches(List<String> patterns, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        boolean matched = false;
        for (String raw : patterns) {
            for (String p : raw.split(",")) {
                if (p.isEmpty()) {
                    continue;
                }
                boolean negated = p.startsWith("!");
                String glob = (negated ? p.substring(1) : p).toLowerCase(Locale.ROOT);
                if (glob(glob, h)) {
                    if (negated) {
                        return false;
                    }
                    matched = true;
                }
            }
        }
        return matched;
    }

    static boolean glob(String pattern, String text) {
        return glob(pattern, 0, text, 0);
    }

    private static boolean glob(String p, int pi, String t, int ti) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int k = ti; k <= t.length(); k++) {
                    if (glob(p, pi + 1, t, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (ti >= t.length() || (c != '?' && c != t.charAt(ti))) {
                return false;
            }
            pi++;
            ti++;
        }
        return ti == t.length();
    }

    /** Splits a config line into words: {@code Key value}, {@code Key=value}, double quotes, # comments. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        String s = line.strip();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (!quoted && c == '#' && !inWord) {
                break;
            } else if (!quoted && (Character.isWhitespace(c) || (c == '=' && out.isEmpty()))) {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out;
    }
}
