package dev.opsctl.target.ssh;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SSHRuntimeException;

/**
 * known_hosts files parsed once per process and parsed again when they change (accept-new appends
 * to them), in opsctl's own reader rather than sshj's: sshj decodes the key of every line it reads,
 * and matches names without OpenSSH's negation and case rules.
 */
final class KnownHostsFiles {
    /**
     * One line of a file: its number (1-based), its marker ({@code @revoked},
     * {@code @cert-authority} or none), its host field (plain patterns, or one hashed name) and its
     * key, kept as the bytes the line holds. Keys are not decoded: decoding an ed25519 key
     * decompresses a curve point, ~1 ms interpreted, and a fan-out's first connections all wait for
     * the file (100 hosts against a 100-line file: ~0.15 s before any of them could go on). A key is
     * decoded only when its bytes differ from the offered key's, to compare the two canonically.
     */
    static final class Line {
        private final int number;
        private final String text;
        private final String marker;
        private final List<String> patterns;
        private final byte[] salt;
        private final byte[] hash;
        private final String keyType;
        private final byte[] key;
        private volatile byte[] canonical;
        private volatile byte[] plain;

        private Line(int number, String text, String marker, List<String> patterns, byte[] salt, byte[] hash,
                String keyType, byte[] key) {
            this.number = number;
            this.text = text;
            this.marker = marker;
            this.patterns = patterns;
            this.salt = salt;
            this.hash = hash;
            this.keyType = keyType;
            this.key = key;
        }

        /**
         * The line; one without a host field, a key type and a key (blank, comment, short) has no
         * key. A key that does not decode matches no key, so the hosts the line names fail closed.
         */
        static Line parse(int number, String text) {
            String s = text.strip();
            String[] f = s.isEmpty() || s.startsWith("#") ? new String[0] : s.split("\\s+");
            String marker = f.length > 0 && f[0].startsWith("@") ? f[0] : "";
            int i = marker.isEmpty() ? 0 : 1;
            // a marker OpenSSH does not know (a typo such as @revoke) makes the line invalid, not a plain line
            boolean knownMarker = marker.isEmpty() || marker.equals("@revoked") || marker.equals("@cert-authority");
            if (f.length < i + 3 || !knownMarker) {
                return noKey(number, text, marker);
            }
            String hosts = f[i];
            List<String> patterns = new ArrayList<>();
            byte[] salt = null;
            byte[] hash = null;
            if (hosts.startsWith("|")) {
                // |1|base64(salt)|base64(HMAC-SHA1(salt, name)): one hashed name, as OpenSSH writes it
                String[] h = hosts.split("\\|");
                if (h.length != 4 || !h[1].equals("1")) {
                    return noKey(number, text, marker);
                }
                try {
                    salt = Base64.getDecoder().decode(h[2]);
                    hash = Base64.getDecoder().decode(h[3]);
                } catch (IllegalArgumentException e) {
                    return noKey(number, text, marker);
                }
            } else {
                for (String h : hosts.split(",")) {
                    if (!h.isEmpty()) {
                        patterns.add(h);
                    }
                }
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(f[i + 2]);
            } catch (IllegalArgumentException e) {
                // still a line for its hosts, with a key nothing matches: their keys look changed, not new
                key = new byte[0];
            }
            if (!declares(f[i + 1], key)) {
                // ssh reads no key from a line whose key is not of the type it names; failing closed, as above
                key = new byte[0];
            }
            return new Line(number, text, marker, List.copyOf(patterns), salt, hash, f[i + 1], key);
        }

        /**
         * Whether {@code blob} is a key of {@code type}, the line's key type, as ssh's sshkey_read
         * checks it: the type the blob names, or an RSA signature algorithm's name for an RSA key
         * ({@code rsa-sha2-512}). A blob too short to name a type is left to the key comparison.
         */
        private static boolean declares(String type, byte[] blob) {
            String named;
            try {
                named = new Buffer.PlainBuffer(blob).readString();
            } catch (Buffer.BufferException e) {
                return true;
            }
            if (named.equals(type)) {
                return true;
            }
            String rsa = type.replaceFirst("^rsa-sha2-(256|512)", "ssh-rsa");
            return !rsa.equals(type) && rsa.equals(named);
        }

        private static Line noKey(int number, String text, String marker) {
            return new Line(number, text, marker, List.of(), null, null, "", null);
        }

        int number() {
            return number;
        }

        String text() {
            return text;
        }

        /** Plain host patterns; empty when the name is hashed. */
        List<String> patterns() {
            return patterns;
        }

        /** The line's key as messages show it ({@code ED25519 SHA256:...}). */
        String describeKey() {
            return key == null || key.length == 0 ? "an unreadable key" : KnownHostsVerifier.describe(keyType, key);
        }

        boolean hasKey() {
            return key != null;
        }

        /** The key type the line declares ({@link KeyType#UNKNOWN} for one sshj does not know). */
        KeyType type() {
            return KeyType.fromString(keyType);
        }

        /**
         * Whether the line names {@code lookup}, with OpenSSH's pattern rules (a matching
         * {@code !pattern} excludes the host, which sshj's own matching ignores).
         */
        boolean names(String lookup) {
            if (key == null) {
                return false;
            }
            if (hash == null) {
                return SshConfig.matches(patterns, lookup);
            }
            return MessageDigest.isEqual(hash, hmac(salt, lookup));
        }

        boolean revoked() {
            return marker.equals("@revoked");
        }

        boolean certAuthority() {
            return marker.equals("@cert-authority");
        }

        /**
         * Whether the line's key is {@code blob} (an SSH public key blob). Equal bytes are the same
         * key; otherwise both are decoded and encoded again as sshj encodes keys, so an encoding
         * OpenSSH accepts but that is not canonical still compares equal.
         */
        boolean holds(byte[] blob) {
            if (key == null || blob == null) {
                return false;
            }
            if (Arrays.equals(key, blob)) {
                return true;
            }
            byte[] mine = canonical;
            if (mine == null) {
                byte[] decoded = canonicalOf(key);
                mine = decoded == null ? new byte[0] : decoded; // empty: the line's key does not decode
                canonical = mine;
            }
            return mine.length > 0 && Arrays.equals(mine, canonicalOf(blob));
        }

        /**
         * Whether the line's key and {@code blob} are one public key, either of them possibly inside a
         * certificate, as OpenSSH's sshkey_equal_public compares them for {@code @revoked} and
         * {@code @cert-authority} lines: a revoked certificate (a line copied from a
         * {@code -cert.pub}) revokes its key, presented plain or in any other certificate.
         */
        boolean holdsKeyOf(byte[] blob) {
            if (key == null || blob == null) {
                return false;
            }
            if (Arrays.equals(key, blob)) {
                return true;
            }
            byte[] mine = plain;
            if (mine == null) {
                byte[] decoded = plainOf(key);
                mine = decoded == null ? new byte[0] : decoded;
                plain = mine;
            }
            return mine.length > 0 && Arrays.equals(mine, plainOf(blob));
        }

        /** The blob of {@code blob}'s key, a certificate's certified key; null if it does not decode. */
        private static byte[] plainOf(byte[] blob) {
            try {
                PublicKey k = new Buffer.PlainBuffer(blob).readPublicKey();
                PublicKey p = k instanceof Certificate<?> c ? c.getKey() : k;
                return new Buffer.PlainBuffer().putPublicKey(p).getCompactData();
            } catch (Buffer.BufferException | SSHRuntimeException | IllegalArgumentException e) {
                return null;
            }
        }

        private static byte[] canonicalOf(byte[] blob) {
            try {
                PublicKey k = new Buffer.PlainBuffer(blob).readPublicKey();
                return new Buffer.PlainBuffer().putPublicKey(k).getCompactData();
            } catch (Buffer.BufferException | SSHRuntimeException | IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** A parsed file; immutable apart from each line's lazily decoded key, so threads share it freely. */
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
                if (!line.hasKey()) {
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

    /** {@code name} as a hashed known_hosts host field, {@code |1|salt|HMAC-SHA1(salt, name)}, as {@code ssh-keygen -H} writes it. */
    static String hashed(String name) {
        byte[] salt = new byte[20];
        new java.security.SecureRandom().nextBytes(salt);
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        return "|1|" + b64.encodeToString(salt) + "|" + b64.encodeToString(hmac(salt, name));
    }

    private static byte[] hmac(byte[] salt, String name) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is always available", e);
        }
    }
}
