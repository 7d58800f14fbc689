package dev.opsctl.target.ssh;

import dev.opsctl.source.DidYouMean;
import dev.opsctl.target.OwnUid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads ssh config files as OpenSSH's {@code read_config_file} does: the keywords opsctl honours,
 * {@code Host} and {@code Match} lines, and {@code Include}, whose files (globs; relative to
 * {@code ~/.ssh} in the user's config, to {@code /etc/ssh} in the system's) are read in its place,
 * at most {@value #MAX_DEPTH} deep. The user's config and every included file must belong to the
 * user or root and be writable by no one else, or nothing is read ("Bad owner or permissions"):
 * whoever could write them could send the user's logins elsewhere.
 */
final class ConfigReader {
    /** OpenSSH's READCONF_MAX_DEPTH. */
    static final int MAX_DEPTH = 16;

    /** Whose file it is: decides where a relative Include points, and whether {@code ~} may start one. */
    enum Origin { USER, SYSTEM }

    /** What a distribution's crypto policy sets in the system's files (RHEL, Fedora): not the user's choice, so no warning. */
    private static final Set<String> CRYPTO_POLICY = Set.of("kexalgorithms", "hostkeyalgorithms", "ciphers", "macs",
            "pubkeyacceptedalgorithms", "pubkeyacceptedkeytypes");

    private final Path home;
    private final Path systemDir;
    private final List<String> warnings = new ArrayList<>();
    /** The IgnoreUnknown patterns read so far, in any block (ssh honours only an applying one; opsctl is no stricter). */
    private final List<String> ignoreUnknown = new ArrayList<>();

    ConfigReader(Path home, Path systemDir) {
        this.home = home;
        this.systemDir = systemDir;
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Reads {@code path}; a missing file is a {@link NoSuchFileException}. */
    ConfigFile read(Path path, Origin origin, boolean checkPermissions, int depth) throws IOException {
        if (checkPermissions) {
            checkPermissions(path);
        }
        String text;
        try {
            // ssh reads bytes: a Latin-1 comment must not make the file unreadable
            text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(path.toString(), null, "permission denied");
        } catch (IOException e) {
            throw new IOException("'" + path + "': " + e.getMessage(), e);
        }
        return parse(path.toString(), text, origin, depth);
    }

    ConfigFile parse(String file, String text, Origin origin, int depth) throws IOException {
        List<ConfigFile.Entry> entries = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String where = file + ":" + (i + 1);
            try {
                List<String> words = SshConfig.words(lines[i]);
                if (!words.isEmpty()) {
                    entry(where, lines[i], words, origin, depth).ifPresent(entries::add);
                }
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": " + e.getMessage(), e);
            }
        }
        return new ConfigFile(file, entries);
    }

    private Optional<ConfigFile.Entry> entry(String where, String line, List<String> words, Origin origin, int depth)
            throws IOException {
        String written = words.get(0).toLowerCase(Locale.ROOT);
        String key = written.equals("identityfile2") ? "identityfile" : written; // ssh's obsolete alias
        List<String> args = words.subList(1, words.size());
        if (!OpenSshKeywords.known(key)) {
            if (ignoreUnknown.stream().anyMatch(p -> SshConfig.matches(List.of(p), written))) {
                return Optional.empty();
            }
            throw new IllegalArgumentException("unknown keyword '" + words.get(0) + "'"
                    + DidYouMean.closest(written, OpenSshKeywords.ALL).map(k -> " (did you mean '" + k + "'?)").orElse("")
                    + "; ssh stops on it too ('Bad configuration option'): correct it, or name it in IgnoreUnknown");
        }
        if (args.isEmpty()) {
            throw new IllegalArgumentException("'" + words.get(0) + "' needs a value"); // for every keyword, as ssh says
        }
        if (key.equals("ignoreunknown")) {
            ignoreUnknown.add(KeywordValues.check(key, words.get(0), args, SshConfig.arguments(line)));
        }
        if ((key.equals("host") || key.equals("include")) && alwaysReachesAnEmptyPattern(key, args)) {
            throw new IllegalArgumentException("'" + words.get(0) + "' has an empty pattern (\"\"); ssh stops on it too"
                    + " ('empty argument'): remove it");
        }
        if (key.equals("host")) {
            return Optional.of(new ConfigFile.HostLine(where, args));
        }
        if (key.equals("match")) {
            return Optional.of(new ConfigFile.Match(MatchLine.parse(where, SshConfig.arguments(line))));
        }
        if (key.equals("include")) {
            return Optional.of(include(where, args, origin, depth));
        }
        if (SshConfig.SUPPORTED.contains(key)) {
            return Optional.of(new ConfigFile.Setting(key, KeywordValues.check(key, words.get(0), args, SshConfig.arguments(line))));
        }
        // 'CheckHostIP no' (ssh's default since 8.5) is what opsctl does
        boolean asOpsctlDoes = key.equals("checkhostip") && !KeywordValues.yes(args.get(0));
        if (SshConfig.IGNORED_WITH_A_WARNING.containsKey(key) && !asOpsctlDoes
                && !(origin == Origin.SYSTEM && CRYPTO_POLICY.contains(key))) {
            warnings.add(where + ": '" + words.get(0) + "' is not supported by opsctl and is ignored: "
                    + SshConfig.IGNORED_WITH_A_WARNING.get(key));
        }
        return Optional.empty();
    }

    /**
     * Where ssh stops on an empty pattern whatever the host: any of Include's, and a Host line's
     * first (one in a file included where its block does not apply is read no further); ssh stops
     * on a later one only for the hosts it reaches ({@link SshConfig}).
     */
    private static boolean alwaysReachesAnEmptyPattern(String key, List<String> args) {
        return key.equals("include") ? args.contains("") : args.get(0).isEmpty();
    }

    private ConfigFile.Include include(String where, List<String> args, Origin origin, int depth) throws IOException {
        if (depth + 1 > MAX_DEPTH) {
            throw new IllegalArgumentException("Include nested more than " + MAX_DEPTH + " deep: the files include each other");
        }
        List<ConfigFile> files = new ArrayList<>();
        for (String arg : args) {
            for (Path p : FileGlob.expand(absolute(arg, origin))) {
                if (!Files.isDirectory(p)) { // ssh opens a directory and reads no line from it
                    files.add(read(p, origin, true, depth + 1));
                }
            }
        }
        return new ConfigFile.Include(files);
    }

    /** An Include argument anchored as ssh anchors it. */
    private String absolute(String arg, Origin origin) {
        if (arg.startsWith("~")) {
            if (origin == Origin.SYSTEM) {
                throw new IllegalArgumentException("bad include path '" + arg + "': a system config may not name a file in a home");
            }
            if (!arg.equals("~") && !arg.startsWith("~/")) {
                throw new IllegalArgumentException("Include '" + arg + "' names another user's home, which opsctl does not look"
                        + " up; write the path in full");
            }
            return home + arg.substring(1);
        }
        if (arg.startsWith("/")) {
            return arg;
        }
        return (origin == Origin.USER ? home.resolve(".ssh") : systemDir) + "/" + arg;
    }

    private static void checkPermissions(Path path) throws IOException {
        Set<PosixFilePermission> perms;
        int owner;
        try {
            perms = Files.getPosixFilePermissions(path);
            owner = (Integer) Files.getAttribute(path, "unix:uid");
        } catch (UnsupportedOperationException e) {
            return; // no POSIX owner to check on this file system
        }
        int me = OwnUid.read();
        boolean othersWrite = perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE);
        if ((owner != 0 && owner != me) || othersWrite) {
            throw new IOException("bad owner or permissions on '" + path + "': "
                    + (othersWrite ? "others than its owner may write it" : "it belongs to uid " + owner + ", not to you or root")
                    + ", so they could send your logins elsewhere; nothing was read (fix: "
                    + (othersWrite ? "chmod go-w '" + path + "'" : "put a copy of your own in its place") + ")");
        }
    }
}
