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
 * blocks with patterns ({@code *}, {@code ?}, {@code !negation}, several per line, matched against
 * the name as given, case and all) and the keywords in {@link #SUPPORTED}. As in OpenSSH the first
 * value obtained for a keyword wins, except {@code IdentityFile}, which accumulates, and
 * {@code ProxyJump} and {@code ProxyCommand}, of which the first obtained wins over the other.
 * {@code Match} blocks are skipped (never match). A keyword that would change which host is
 * trusted or how it is reached, and that opsctl does not honour, is a warning ({@link #IGNORED_WITH_A_WARNING});
 * other keywords (ControlMaster, ForwardAgent, ...) are ignored quietly. Immutable and thread-safe.
 */
public final class SshConfig {
    static final Set<String> SUPPORTED = Set.of("hostname", "user", "port", "identityfile", "proxyjump", "proxycommand",
            "connecttimeout", "serveraliveinterval", "userknownhostsfile", "globalknownhostsfile", "hostkeyalias",
            "stricthostkeychecking", "identityagent", "identitiesonly", "revokedhostkeys");
    private static final Set<String> ACCUMULATING = Set.of("identityfile");
    private static final Set<String> ROUTES = Set.of("proxyjump", "proxycommand");
    /** Keywords whose value is a list of files: kept apart by this, as a quoted name may hold spaces. */
    static final String FILE_SEPARATOR = "\0";
    private static final Set<String> FILE_LISTS = Set.of("userknownhostsfile", "globalknownhostsfile");

    /** What each ignored keyword that matters means for a connection opsctl makes. */
    static final Map<String, String> IGNORED_WITH_A_WARNING = Map.ofEntries(
            Map.entry("certificatefile", "client certificates are not offered; a server that requires one refuses the login"),
            Map.entry("kexalgorithms", "opsctl negotiates its own list of algorithms"),
            Map.entry("hostkeyalgorithms", "opsctl negotiates its own list of algorithms"),
            Map.entry("ciphers", "opsctl negotiates its own list of algorithms"),
            Map.entry("macs", "opsctl negotiates its own list of algorithms"),
            Map.entry("pubkeyacceptedalgorithms", "opsctl negotiates its own list of algorithms"),
            Map.entry("pubkeyacceptedkeytypes", "opsctl negotiates its own list of algorithms"),
            Map.entry("canonicalizehostname", "host names are used as given, never canonicalised"),
            Map.entry("addressfamily", "the host name resolves as the JVM resolves it"),
            Map.entry("bindaddress", "connections leave from the address the system chooses"),
            Map.entry("bindinterface", "connections leave from the interface the system chooses"),
            Map.entry("setenv", "no environment is sent to the host"),
            Map.entry("sendenv", "no environment is sent to the host"),
            Map.entry("remotecommand", "opsctl runs the step's command"),
            Map.entry("hashknownhosts", "keys recorded with accept-new are written in clear"),
            Map.entry("pubkeyauthentication", "opsctl logs in with keys (files and agent) whatever it says"),
            Map.entry("verifyhostkeydns", "host keys are checked against known_hosts files only"),
            Map.entry("pkcs11provider", "keys on a PKCS#11 token are not offered unless an ssh-agent holds them"),
            Map.entry("securitykeyprovider", "keys on a security key are not offered unless an ssh-agent holds them"));

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

    /**
     * Reads the config file opsctl looks for by itself ({@code ~/.ssh/config}): a missing file is an
     * empty config, an unreadable one an {@link IOException}.
     */
    public static SshConfig loadIfPresent(Path path) throws IOException {
        try {
            return load(path);
        } catch (NoSuchFileException e) {
            return empty();
        }
    }

    /** The file the operator named ({@code --ssh-config}), which must exist, else {@code ~/.ssh/config} if there is one. */
    public static SshConfig named(java.util.Optional<Path> named, Path home) throws IOException {
        return named.isPresent() ? load(named.get()) : loadIfPresent(home.resolve(".ssh/config"));
    }

    /** Reads a config file the operator named: a missing one is an {@link IOException}, as for {@code ssh -F}. */
    public static SshConfig load(Path path) throws IOException {
        try {
            return parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("'" + path + "': permission denied", e);
        } catch (IOException e) {
            throw new IOException("'" + path + "': " + e.getMessage(), e);
        }
    }

    /** Why a config file could not be read, naming it. */
    public static String describe(IOException e) {
        return e instanceof NoSuchFileException n ? "'" + n.getFile() + "' does not exist" : e.getMessage();
    }

    public static SshConfig parse(String file, String text) {
        List<Block> blocks = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Block current = new Block(List.of("*"), false, new LinkedHashMap<>());
        blocks.add(current);
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            List<String> words;
            try {
                words = words(lines[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
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
                    String value = String.join(FILE_LISTS.contains(key) ? FILE_SEPARATOR : " ", args);
                    current.options().computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                }
            } else if (IGNORED_WITH_A_WARNING.containsKey(key)) {
                warnings.add(file + ":" + (i + 1) + ": '" + words.get(0) + "' is not supported by opsctl and is ignored: "
                        + IGNORED_WITH_A_WARNING.get(key));
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
            if (b.match() || !hostMatches(b.patterns(), host)) {
                continue;
            }
            b.options().forEach((k, v) -> {
                if (ACCUMULATING.contains(k)) {
                    out.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v);
                } else if (!ROUTES.contains(k) || ROUTES.stream().noneMatch(out::containsKey)) {
                    out.putIfAbsent(k, List.of(v.get(0)));
                }
            });
        }
        return out;
    }

    /**
     * A {@code Host} line's patterns, as OpenSSH matches them: each word one pattern, a comma part of
     * it, and case kept ({@code Host FOO} applies to {@code FOO}, not to {@code foo}).
     */
    static boolean hostMatches(List<String> patterns, String host) {
        boolean matched = false;
        for (String p : patterns) {
            boolean negated = p.startsWith("!");
            if (glob(negated ? p.substring(1) : p, host)) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    /**
     * A known_hosts pattern list: comma-separated, case-insensitive. Any matching negated pattern
     * rejects; otherwise any positive match accepts.
     */
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

    /**
     * Splits a config line into words as OpenSSH does: the keyword ends at a space or at one
     * {@code =} (spaces around it or not); the arguments are split as {@code argv_split} splits them:
     * double and single quotes, backslash before a quote, a backslash or (outside quotes) a space, and
     * {@code #} at the start of a word begins a comment. An unterminated quote is an error.
     */
    static List<String> words(String line) {
        String s = line.strip();
        int i = 0;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '=') {
            i++;
        }
        String keyword = s.substring(0, i);
        if (keyword.isEmpty() || keyword.startsWith("#")) {
            return List.of();
        }
        i = skipSpaces(s, i);
        if (i < s.length() && s.charAt(i) == '=') {
            i = skipSpaces(s, i + 1);
        }
        List<String> out = new ArrayList<>();
        out.add(keyword);
        while (i < s.length()) {
            if (s.charAt(i) == '#') {
                break;
            }
            StringBuilder w = new StringBuilder();
            char quote = 0;
            for (; i < s.length(); i++) {
                char c = s.charAt(i);
                char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
                if (c == '\\' && (next == '\'' || next == '"' || next == '\\' || (quote == 0 && next == ' '))) {
                    w.append(next);
                    i++;
                } else if (quote == 0 && (c == ' ' || c == '\t')) {
                    break;
                } else if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                } else if (quote != 0 && c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            }
            if (quote != 0) {
                throw new IllegalArgumentException("unterminated quote (" + quote + ") in '" + line.strip() + "'");
            }
            out.add(w.toString());
            i = skipSpaces(s, i);
        }
        return out;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
