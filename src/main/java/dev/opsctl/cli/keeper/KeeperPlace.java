package dev.opsctl.cli.keeper;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.opsctl.target.OwnUid;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where one user's keeper for one build of opsctl listens: a socket in {@code $XDG_RUNTIME_DIR/opsctl}
 * (a per-user tmpfs) or else {@code /tmp/opsctl-UID}. Whoever reaches the socket runs commands over
 * the user's logged-in connections, so the directory is refused when it is a symbolic link, belongs
 * to someone else, or lets anyone else in. The build is part of the name: a rebuilt opsctl starts
 * its own keeper rather than talk to an old one.
 */
public record KeeperPlace(Path dir, String build) {
    /** sun_path holds 108 bytes, the last a NUL. */
    static final int MAX_SOCKET_PATH = 107;

    public Path socket() {
        return dir.resolve("keeper-" + build + ".sock");
    }

    /** Held by the live keeper for its whole life, and names its pid. */
    public Path lock() {
        return dir.resolve("keeper-" + build + ".lock");
    }

    /** The keeper's own stderr: its start-up failures and crashes, never a command's output. */
    public Path log() {
        return dir.resolve("keeper-" + build + ".log");
    }

    /** This user's place for the running build, the directory created or checked. */
    public static KeeperPlace forThisBuild(Map<String, String> env) throws KeeperUnavailable {
        return at(defaultDir(env), buildOf(System.getProperty("java.home") + "\n" + System.getProperty("user.home"),
                System.getProperty("java.class.path")));
    }

    /** The place in {@code dir} (created 0700 if missing, else checked) for {@code build}. */
    public static KeeperPlace at(Path dir, String build) throws KeeperUnavailable {
        KeeperPlace place = new KeeperPlace(dir, build);
        if (place.socket().toString().getBytes(UTF_8).length > MAX_SOCKET_PATH) {
            throw new KeeperUnavailable("the socket path " + place.socket() + " is longer than a Unix socket allows ("
                    + MAX_SOCKET_PATH + " bytes): set XDG_RUNTIME_DIR to a shorter directory");
        }
        ensurePrivate(dir);
        return place;
    }

    /**
     * {@code $XDG_RUNTIME_DIR/opsctl} when that directory is this user's alone, as the XDG spec
     * requires (after {@code su} or {@code sudo -E} it may be another user's, who could swap what is
     * in it); else {@code /tmp/opsctl-UID}, which the sticky /tmp keeps others from renaming.
     */
    static Path defaultDir(Map<String, String> env) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/") && privateDir(Path.of(runtime))) {
            return Path.of(runtime, "opsctl");
        }
        return Path.of("/tmp", "opsctl-" + ownUid());
    }

    private static boolean privateDir(Path dir) {
        try {
            Map<String, Object> a = Files.readAttributes(dir, "unix:uid,mode,isDirectory", LinkOption.NOFOLLOW_LINKS);
            return (Boolean) a.get("isDirectory") && (Integer) a.get("uid") == ownUid() && ((Integer) a.get("mode") & 077) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The same for the same JVM (JDK, home) and the same class path files, as they are now (size and mtime). */
    static String buildOf(String jvm, String classPath) {
        StringBuilder id = new StringBuilder(jvm).append('\n');
        for (String entry : classPath.split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath().normalize();
            id.append(p);
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                id.append(' ').append(a.size()).append(' ').append(a.lastModifiedTime().toMillis());
            } catch (IOException e) {
                id.append(" missing");
            }
            id.append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.toString().getBytes(UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static int ownUid() {
        try {
            return OwnUid.read();
        } catch (IOException e) {
            throw new IllegalStateException("cannot tell this process's uid from /proc/self", e);
        }
    }

    private static void ensurePrivate(Path dir) throws KeeperUnavailable {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // checked below, like one we made
        } catch (IOException e) {
            throw new KeeperUnavailable("cannot create " + dir + ": " + e.getMessage());
        }
        try {
            Map<String, Object> a = Files.readAttributes(dir, "unix:uid,mode,isDirectory,isSymbolicLink", LinkOption.NOFOLLOW_LINKS);
            if ((Boolean) a.get("isSymbolicLink") || !(Boolean) a.get("isDirectory")) {
                throw new KeeperUnavailable(dir + " is not a directory (a symbolic link or a file): remove it");
            }
            if ((Integer) a.get("uid") != ownUid()) {
                throw new KeeperUnavailable(dir + " belongs to uid " + a.get("uid") + ", not to this user: remove it");
            }
            if (((Integer) a.get("mode") & 077) != 0) {
                throw new KeeperUnavailable(dir + " is open to other users (mode "
                        + Integer.toOctalString((Integer) a.get("mode") & 0777) + "): chmod 700 it");
            }
        } catch (IOException e) {
            throw new KeeperUnavailable("cannot check " + dir + ": " + e.getMessage());
        }
    }
}
