package dev.opsctl.target.ssh;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * known_hosts files parsed once per process and parsed again when they change (accept-new appends
 * to them). sshj decodes the key of every line it parses; doing that for every host made a fan-out
 * to N hosts with an N-line known_hosts cost N^2 key decodings (100 hosts: 20,000).
 */
final class KnownHostsFiles {
    /** One line of a file, its number (1-based) and the entries sshj read from it. */
    record Line(int number, String text, List<OpenSSHKnownHosts.KnownHostEntry> entries) {}

    /**
     * A parsed file. Entries are not thread-safe (a hashed entry reuses one MAC): use them only
     * while holding this object's lock.
     */
    static final class Parsed {
        private final FileTime modified;
        private final long size;
        private final List<Line> lines;

        private Parsed(FileTime modified, long size, List<Line> lines) {
            this.modified = modified;
            this.size = size;
            this.lines = lines;
        }

        List<Line> lines() {
            return lines;
        }
    }

    private static final ConcurrentHashMap<Path, Parsed> FILES = new ConcurrentHashMap<>();

    private KnownHostsFiles() {}

    /** The file as it is now; unchanged files come from the cache. */
    static Parsed read(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        BasicFileAttributes attrs = Files.readAttributes(key, BasicFileAttributes.class);
        Parsed cached = FILES.get(key);
        if (cached != null && cached.modified.equals(attrs.lastModifiedTime()) && cached.size == attrs.size()) {
            return cached;
        }
        List<String> text = Files.readAllLines(key, StandardCharsets.UTF_8);
        List<Line> lines = new ArrayList<>(text.size());
        for (int i = 0; i < text.size(); i++) {
            lines.add(new Line(i + 1, text.get(i), entries(text.get(i))));
        }
        Parsed parsed = new Parsed(attrs.lastModifiedTime(), attrs.size(), List.copyOf(lines));
        FILES.put(key, parsed);
        return parsed;
    }

    private static List<OpenSSHKnownHosts.KnownHostEntry> entries(String line) throws IOException {
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) {
            return List.of();
        }
        return new OpenSSHKnownHosts(new StringReader(s)).entries();
    }
}
