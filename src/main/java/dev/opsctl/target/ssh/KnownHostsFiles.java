package dev.opsctl.target.ssh;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * known_hosts files parsed once per process and parsed again when they change (accept-new appends
 * to them). sshj decodes the key of every line it parses; doing that for every host made a fan-out
 * to N hosts with an N-line known_hosts cost N^2 key decodings (100 hosts: 20,000).
 */
final class KnownHostsFiles {
    /**
     * One line of a file: its number (1-based), the entries sshj read from it, its marker
     * ({@code @revoked}, {@code @cert-authority} or none) and its host patterns (empty when the
     * names are hashed).
     */
    record Line(int number, String text, List<OpenSSHKnownHosts.KnownHostEntry> entries, String marker, List<String> patterns) {
        static Line parse(int number, String text) throws IOException {
            String[] f = text.strip().split("\\s+", 3);
            String marker = f[0].startsWith("@") ? f[0] : "";
            String hosts = marker.isEmpty() ? f[0] : f.length > 1 ? f[1] : "";
            List<String> patterns = new ArrayList<>();
            if (!hosts.startsWith("|")) {
                for (String h : hosts.split(",")) {
                    if (!h.isEmpty()) {
                        patterns.add(h);
                    }
                }
            }
            return new Line(number, text, KnownHostsFiles.entries(text), marker, List.copyOf(patterns));
        }

        /**
         * Whether the line names {@code lookup}, with OpenSSH's pattern rules (a matching
         * {@code !pattern} excludes the host, which sshj's own matching ignores); hashed lines ask
         * sshj. Call only while holding the file's lock.
         */
        boolean names(OpenSSHKnownHosts.KnownHostEntry entry, String lookup) throws IOException {
            return patterns.isEmpty() ? entry.appliesTo(lookup) : SshConfig.matches(patterns, lookup);
        }

        boolean revoked() {
            return marker.equals("@revoked");
        }

        boolean certAuthority() {
            return marker.equals("@cert-authority");
        }

        /**
         * The key the line lists, decoded and encoded again as sshj encodes an offered key (so an
         * encoding OpenSSH accepts but that is not canonical still compares equal), or null if it
         * has none that decodes.
         */
        byte[] keyBlob() {
            String[] f = text.strip().split("\\s+");
            int i = marker.isEmpty() ? 0 : 1;
            if (f.length < i + 3) {
                return null;
            }
            try {
                PublicKey key = new Buffer.PlainBuffer(Base64.getDecoder().decode(f[i + 2])).readPublicKey();
                return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
            } catch (IllegalArgumentException | Buffer.BufferException | SSHRuntimeException e) {
                return null;
            }
        }
    }

    /**
     * A parsed file. Entries are not thread-safe (a hashed entry reuses one MAC): use them only
     * while holding this object's lock.
     */
    static final class Parsed {
        private final FileTime modified;
        private final long size;
        private final List<Line> lines;
        /** Lines whose host field is plain names, by lower-cased name. */
        private final Map<String, List<Line>> byName = new HashMap<>();
        /** Lines with hashed names or patterns: they must be asked whether they apply. */
        private final List<Line> others = new ArrayList<>();

        private Parsed(FileTime modified, long size, List<Line> lines) {
            this.modified = modified;
            this.size = size;
            this.lines = lines;
            for (Line line : lines) {
                if (line.entries().isEmpty()) {
                    continue;
                }
                List<String> names = plainNames(line);
                if (names == null) {
                    others.add(line);
                } else {
                    for (String name : names) {
                        byName.computeIfAbsent(name, k -> new ArrayList<>(1)).add(line);
                    }
                }
            }
        }

        List<Line> lines() {
            return lines;
        }

        /**
         * The lines that may apply to {@code lookup} ({@code host} or {@code [host]:port}), in file
         * order: the ones naming it plainly and every hashed or pattern line. A fan-out checks every
         * host against the same file, so this keeps N hosts against an N-line file from costing N^2.
         */
        List<Line> candidates(String lookup) {
            List<Line> named = byName.getOrDefault(lookup.toLowerCase(Locale.ROOT), List.of());
            if (others.isEmpty()) {
                return named;
            }
            List<Line> all = new ArrayList<>(named.size() + others.size());
            all.addAll(named);
            all.addAll(others);
            all.sort(BY_NUMBER);
            return all;
        }

        /** The names of a plain host field, lower-cased; null if hashed or if any is a pattern. */
        private static List<String> plainNames(Line line) {
            if (line.patterns().isEmpty()) {
                return null;
            }
            List<String> names = new ArrayList<>(line.patterns().size());
            for (String p : line.patterns()) {
                if (p.indexOf('*') >= 0 || p.indexOf('?') >= 0 || p.startsWith("!")) {
                    return null;
                }
                names.add(p.toLowerCase(Locale.ROOT));
            }
            return names;
        }
    }

    private static final Comparator<Line> BY_NUMBER = Comparator.comparingInt(Line::number);
    private static final ConcurrentHashMap<Path, Parsed> FILES = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Path, Object> PARSING = new ConcurrentHashMap<>();

    private KnownHostsFiles() {}

    /**
     * The file as it is now; unchanged files come from the cache. A fan-out's first connections
     * all ask at once: one of them parses, the others wait for its result instead of each parsing
     * the whole file too.
     */
    static Parsed read(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        Parsed cached = fresh(key);
        if (cached != null) {
            return cached;
        }
        synchronized (PARSING.computeIfAbsent(key, k -> new Object())) {
            cached = fresh(key);
            if (cached != null) {
                return cached;
            }
            BasicFileAttributes attrs = Files.readAttributes(key, BasicFileAttributes.class);
            List<String> text = Files.readAllLines(key, StandardCharsets.UTF_8);
            List<Line> lines = new ArrayList<>(text.size());
            for (int i = 0; i < text.size(); i++) {
                lines.add(Line.parse(i + 1, text.get(i)));
            }
            Parsed parsed = new Parsed(attrs.lastModifiedTime(), attrs.size(), List.copyOf(lines));
            FILES.put(key, parsed);
            return parsed;
        }
    }

    /** The cached parse if the file has not changed since, else null. */
    private static Parsed fresh(Path key) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(key, BasicFileAttributes.class);
        Parsed cached = FILES.get(key);
        return cached != null && cached.modified.equals(attrs.lastModifiedTime()) && cached.size == attrs.size()
                ? cached
                : null;
    }

    private static List<OpenSSHKnownHosts.KnownHostEntry> entries(String line) throws IOException {
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) {
            return List.of();
        }
        return new OpenSSHKnownHosts(new StringReader(s)).entries();
    }
}
