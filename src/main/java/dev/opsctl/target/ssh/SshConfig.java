package dev.opsctl.target.ssh;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The part of an OpenSSH client config that opsctl honours, read as {@code ssh -G} reads it: the
 * user's file ({@code ~/.ssh/config}, or the one named as ssh's {@code -F} is) then, unless one was
 * named, the system's ({@code /etc/ssh/ssh_config}); {@code Include}d files in their place
 * ({@link ConfigReader}); {@code Host} lines (patterns {@code *}, {@code ?}, {@code !negation},
 * several per line, matched against the name as given, case and all) and {@code Match} lines
 * ({@link MatchLine}), and the keywords in {@link #SUPPORTED}. As in OpenSSH the first value obtained
 * for a keyword wins, except {@code IdentityFile}, which accumulates, and {@code ProxyJump} and
 * {@code ProxyCommand}, of which the first obtained wins over the other; a {@code Match final}
 * anywhere makes a second pass, with the HostName, as ssh makes it. A keyword that would change
 * which host is trusted or how it is reached, and that opsctl does not honour, is a warning
 * ({@link #IGNORED_WITH_A_WARNING}); other keywords (ControlMaster, ForwardAgent, ...) are ignored
 * quietly. Immutable and thread-safe.
 */
public final class SshConfig {
    static final Set<String> SUPPORTED = Set.of("hostname", "user", "port", "identityfile", "proxyjump", "proxycommand",
            "connecttimeout", "serveraliveinterval", "serveralivecountmax", "userknownhostsfile", "globalknownhostsfile", "hostkeyalias",
            "stricthostkeychecking", "identityagent", "identitiesonly", "revokedhostkeys", "hashknownhosts",
            "canonicalizehostname", "canonicaldomains", "canonicalizemaxdots", "tag", "refuseconnection");
    private static final Set<String> ACCUMULATING = Set.of("identityfile");
    private static final Set<String> UNSET_BY_NONE = Set.of("connecttimeout", "serveraliveinterval");
    private static final Set<String> ROUTES = Set.of("proxyjump", "proxycommand");
    /** Keywords whose value is a list of files: kept apart by this, as a quoted name may hold spaces. */
    static final String FILE_SEPARATOR = "\0";
    static final Set<String> FILE_LISTS = Set.of("userknownhostsfile", "globalknownhostsfile");
    /** OpenSSH's system-wide client config, read after the user's unless a config was named. */
    public static final Path SYSTEM_FILE = Path.of("/etc/ssh/ssh_config");

    /** What each ignored keyword that matters means for a connection opsctl makes. */
    static final Map<String, String> IGNORED_WITH_A_WARNING = Map.ofEntries(
            Map.entry("certificatefile", "client certificates are not offered; a server that requires one refuses the login"),
            Map.entry("kexalgorithms", "opsctl negotiates its own list of algorithms"),
            Map.entry("hostkeyalgorithms", "opsctl negotiates its own list of algorithms"),
            Map.entry("ciphers", "opsctl negotiates its own list of algorithms"),
            Map.entry("macs", "opsctl negotiates its own list of algorithms"),
            Map.entry("pubkeyacceptedalgorithms", "opsctl negotiates its own list of algorithms"),
            Map.entry("pubkeyacceptedkeytypes", "opsctl negotiates its own list of algorithms"),
            Map.entry("canonicalizepermittedcnames", "CNAMEs are never followed; the host name is used as given"),
            Map.entry("addressfamily", "the host name resolves as the JVM resolves it"),
            Map.entry("bindaddress", "connections leave from the address the system chooses"),
            Map.entry("bindinterface", "connections leave from the interface the system chooses"),
            Map.entry("setenv", "no environment is sent to the host"),
            Map.entry("remotecommand", "opsctl runs the step's command"),
            Map.entry("pubkeyauthentication", "opsctl logs in with keys (files and agent) whatever it says"),
            Map.entry("verifyhostkeydns", "host keys are checked against known_hosts files only"),
            Map.entry("knownhostscommand", "host keys are checked against known_hosts files only"),
            Map.entry("checkhostip", "host keys are not looked up under the host's address as well"),
            Map.entry("pkcs11provider", "keys on a PKCS#11 token are not offered unless an ssh-agent holds them"),
            Map.entry("securitykeyprovider", "keys on a security key are not offered unless an ssh-agent holds them"));

    private final List<ConfigFile> files;
    private final List<String> warnings;
    private final boolean finalPass;

    private SshConfig(List<ConfigFile> files, List<String> warnings) {
        this.files = List.copyOf(files);
        this.warnings = List.copyOf(warnings);
        this.finalPass = files.stream().anyMatch(SshConfig::asksForFinalPass);
    }

    public static SshConfig empty() {
        return new SshConfig(List.of(), List.of());
    }

    /**
     * The config ssh would read: the file the operator named ({@code --ssh-config}, which must exist;
     * {@code none} is no config at all), else {@code ~/.ssh/config} if there is one and then
     * {@link #SYSTEM_FILE} if there is one.
     */
    public static SshConfig named(Optional<Path> named, Path home) throws IOException {
        return standard(named, home, SYSTEM_FILE);
    }

    static SshConfig standard(Optional<Path> named, Path home, Path systemFile) throws IOException {
        ConfigReader reader = new ConfigReader(home, systemFile.getParent());
        List<ConfigFile> files = new ArrayList<>();
        if (named.isPresent()) {
            if (!isNone(named.get())) {
                files.add(reader.read(named.get(), ConfigReader.Origin.USER, false, 0));
            }
        } else {
            readIfPresent(reader, home.resolve(".ssh/config"), ConfigReader.Origin.USER, true).ifPresent(files::add);
            readIfPresent(reader, systemFile, ConfigReader.Origin.SYSTEM, false).ifPresent(files::add);
        }
        return new SshConfig(files, reader.warnings());
    }

    /** {@code --ssh-config none}, as {@code ssh -F none}: no config file at all. */
    public static boolean isNone(Path named) {
        return named.toString().equalsIgnoreCase("none");
    }

    private static Optional<ConfigFile> readIfPresent(ConfigReader reader, Path path, ConfigReader.Origin origin,
            boolean checkPermissions) throws IOException {
        try {
            return Optional.of(reader.read(path, origin, checkPermissions, 0));
        } catch (NoSuchFileException | java.nio.file.AccessDeniedException e) {
            if (!path.toString().equals(e.getFile())) {
                throw e; // an included file vanished or cannot be read: ssh stops too
            }
            return Optional.empty(); // ssh reads the default files only if it can open them
        }
    }

    /** Why a config file could not be read, naming it. */
    public static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "'" + a.getFile() + "': permission denied";
        }
        return e instanceof NoSuchFileException n ? "'" + n.getFile() + "' does not exist" : e.getMessage();
    }

    /** A config from text, as if it were the user's file {@code file}. */
    public static SshConfig parse(String file, String text) {
        ConfigReader reader = new ConfigReader(Path.of(System.getProperty("user.home")), SYSTEM_FILE.getParent());
        try {
            return new SshConfig(List.of(reader.parse(file, text, ConfigReader.Origin.USER, 0)), reader.warnings());
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Things in the files opsctl does not honour, as {@code file:line: message}. */
    public List<String> warnings() {
        return warnings;
    }

    /** The files read, as messages name them. */
    public String file() {
        return files.isEmpty() ? "<none>" : String.join(", ", files.stream().map(ConfigFile::name).toList());
    }

    /** The options that apply to {@code host} (the name as given, before HostName), first value first. */
    public Map<String, List<String>> resolve(String host) {
        return resolve(host, Optional.empty(), System.getProperty("user.name"));
    }

    /**
     * The options that apply to {@code host} (the name as given, before HostName), first value first,
     * for {@code user} if the inventory names one (it wins over the config's, as {@code ssh -l} does).
     *
     * @throws ConfigRefusal when a Match line that decides for this host would run a command
     */
    public Map<String, List<String>> resolve(String host, Optional<String> user, String localUser) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Pass first = new Pass(host, host, user, localUser, false, out);
        files.forEach(f -> first.read(f));
        boolean canonicalize = first.first("canonicalizehostname")
                .map(v -> KeywordValues.yes(v) || v.equalsIgnoreCase("always")).orElse(false);
        if (finalPass || canonicalize) {
            String h = first.hostSoFar();
            String named = NumericHost.canonical(h).orElse(NumericHost.isAddress(h) ? h : h.toLowerCase(Locale.ROOT));
            if (canonicalize) {
                refuseADnsLookup(out, named);
            }
            out.put("hostname", List.of(named.replace("%", "%%")));
            Pass last = new Pass(named, host, user, localUser, true, out);
            files.forEach(f -> last.read(f));
        }
        return out;
    }

    /** One reading of the files for one host, as one of ssh's passes over its config. */
    private static final class Pass {
        private final String hostArg;
        private final String originalHost;
        private final Optional<String> user;
        private final String localUser;
        private final boolean finalPass;
        private final Map<String, List<String>> out;

        Pass(String hostArg, String originalHost, Optional<String> user, String localUser, boolean finalPass,
                Map<String, List<String>> out) {
            this.hostArg = hostArg;
            this.originalHost = originalHost;
            this.user = user;
            this.localUser = localUser;
            this.finalPass = finalPass;
            this.out = out;
        }

        /** A file, which starts active as ssh's do; an included file is read only where its Include applied. */
        void read(ConfigFile file) {
            boolean active = true;
            for (ConfigFile.Entry e : file.entries()) {
                if (e instanceof ConfigFile.HostLine h) {
                    active = hostMatches(h, hostArg);
                } else if (e instanceof ConfigFile.Match m) {
                    active = m.line().matches(new MatchLine.Context(hostSoFar(), originalHost,
                            user.or(() -> first("user")).orElse(localUser), localUser, first("tag").orElse(""), finalPass));
                } else if (e instanceof ConfigFile.Include i && active) {
                    i.files().forEach(this::read);
                } else if (e instanceof ConfigFile.Setting s && active) {
                    apply(s.keyword(), s.value());
                }
            }
        }

        private void apply(String k, String v) {
            if (UNSET_BY_NONE.contains(k) && v.equals("none")) {
                return; // ssh's "none" is its "not set": a later line still sets the timeout
            }
            if (ACCUMULATING.contains(k)) {
                List<String> files = out.computeIfAbsent(k, x -> new ArrayList<>());
                if (!files.contains(v)) { // ssh ignores a key named twice, as a final pass names every key again
                    files.add(v);
                }
            } else if (!ROUTES.contains(k) || ROUTES.stream().noneMatch(out::containsKey)) {
                out.putIfAbsent(k, List.of(v));
            }
        }

        /** The host a Match host line sees: the HostName obtained so far, %h expanded, else the name given. */
        String hostSoFar() {
            Optional<String> h = first("hostname");
            if (finalPass) {
                return h.orElse(hostArg).replace("%%", "%");
            }
            return h.map(v -> ConfigTokens.hostName(v, hostArg)).orElse(hostArg);
        }

        Optional<String> first(String key) {
            List<String> v = out.get(key);
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }
    }

    private static boolean asksForFinalPass(ConfigFile f) {
        return f.entries().stream().anyMatch(e -> e instanceof ConfigFile.Match m && m.line().asksForFinalPass()
                || e instanceof ConfigFile.Include i && i.files().stream().anyMatch(SshConfig::asksForFinalPass));
    }

    /**
     * With {@code CanonicalizeHostname}, ssh looks a short name up in DNS under each of the
     * {@code CanonicalDomains} and connects to the first name found (resolve_canonicalize in ssh.c).
     * opsctl makes no DNS lookup of its own to pick a host, so such a host is refused.
     */
    private static void refuseADnsLookup(Map<String, List<String>> out, String host) {
        String mode = out.get("canonicalizehostname").get(0).toLowerCase(Locale.ROOT);
        boolean direct = ROUTES.stream().allMatch(k -> !out.containsKey(k) || out.get(k).get(0).equalsIgnoreCase("none"));
        if (NumericHost.isAddress(host) || (!direct && !mode.equals("always"))) {
            return;
        }
        List<String> domains = out.containsKey("canonicaldomains") ? List.of(out.get("canonicaldomains").get(0).split("\\s+"))
                : List.of();
        int maxDots = Optional.ofNullable(out.get("canonicalizemaxdots")).map(v -> v.get(0).strip())
                .filter(v -> v.matches("[0-9]+")).map(Integer::parseInt).orElse(1);
        long dots = host.chars().filter(c -> c == '.').count();
        boolean lookedUp = host.endsWith(".") || (dots <= maxDots && !domains.isEmpty() && !domains.get(0).equalsIgnoreCase("none"));
        if (lookedUp) {
            throw new ConfigRefusal("'CanonicalizeHostname " + mode + "' would make ssh look '" + host + "' up in DNS"
                    + (domains.isEmpty() ? "" : " under " + String.join(", ", domains)) + " and connect to the name it finds,"
                    + " which opsctl does not do; give the host its full name (HostName " + host + "."
                    + (domains.isEmpty() ? "example.com" : domains.get(0)) + "), or 'CanonicalizeHostname no' for it");
        }
    }

    /**
     * A {@code Host} line's patterns, as OpenSSH matches them: each word one pattern, a comma part of
     * it, and case kept ({@code Host FOO} applies to {@code FOO}, not to {@code foo}).
     */
    static boolean hostMatches(List<String> patterns, String host) {
        return hostMatches(new ConfigFile.HostLine("", patterns), host);
    }

    /** @throws ConfigRefusal when the line's empty pattern is reached for this host, where ssh stops */
    private static boolean hostMatches(ConfigFile.HostLine line, String host) {
        boolean matched = false;
        for (String p : line.patterns()) {
            if (p.isEmpty()) {
                throw new ConfigRefusal(line.where() + ": 'Host' has an empty pattern (\"\"), on which ssh stops for this"
                        + " host ('empty argument'): remove it");
            }
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
        return matches(patterns, host, true);
    }

    /** A Match user or localuser list: comma-separated, case kept. */
    static boolean matchesCaseSensitive(String patterns, String value) {
        return matches(List.of(patterns), value, false);
    }

    private static boolean matches(List<String> patterns, String host, boolean ignoreCase) {
        String h = ignoreCase ? host.toLowerCase(Locale.ROOT) : host;
        boolean matched = false;
        for (String raw : patterns) {
            for (String p : raw.split(",")) {
                if (p.isEmpty()) {
                    continue;
                }
                boolean negated = p.startsWith("!");
                String glob = negated ? p.substring(1) : p;
                glob = ignoreCase ? glob.toLowerCase(Locale.ROOT) : glob;
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

    /** OpenSSH's match_pattern: {@code *} and {@code ?} only. */
    static boolean glob(String pattern, String text) {
        return FileGlob.matches(pattern, text, false);
    }

    /**
     * Splits a config line into words as OpenSSH does: the keyword ends at a space or at one
     * {@code =} (spaces around it or not); the arguments are split as {@code argv_split} splits them:
     * double and single quotes, backslash before a quote, a backslash or (outside quotes) a space, and
     * {@code #} at the start of a word begins a comment. An unterminated quote is an error.
     */
    static List<String> words(String line) {
        String s = line.strip();
        String keyword = keyword(s);
        if (keyword.isEmpty() || keyword.startsWith("#")) {
            return List.of();
        }
        int i = argumentsStart(s);
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

    private static String keyword(String stripped) {
        int i = 0;
        while (i < stripped.length() && !Character.isWhitespace(stripped.charAt(i)) && stripped.charAt(i) != '=') {
            i++;
        }
        return stripped.substring(0, i);
    }

    private static int argumentsStart(String stripped) {
        int i = skipSpaces(stripped, keyword(stripped).length());
        if (i < stripped.length() && stripped.charAt(i) == '=') {
            i = skipSpaces(stripped, i + 1);
        }
        return i;
    }

    /** A line's text after its keyword, as ssh hands it to a Match line: unsplit. */
    static String arguments(String line) {
        String s = line.strip();
        return s.substring(argumentsStart(s));
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
