package dev.opsctl.target.local;

import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.PosixId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Files on this machine through NIO, as the user opsctl runs as. */
final class LocalFiles {
    static final int DEFAULT_MODE = 0644;

    private LocalFiles() {}

    /**
     * Writes {@code dest} atomically: a 0600 temporary file beside it gets the content, the mode and
     * owner (an existing file's, unless given), is fsync'd, and is renamed over the destination; then
     * the directory is fsync'd so the rename survives a crash. Mode bits above 0777 are not set.
     */
    static void put(Path path, byte[] content, FileAttrs attrs) throws IOException {
        // write through a symlink (a linked /etc/resolv.conf stays a link), not over it
        Path dest = Files.isSymbolicLink(path) && Files.exists(path) ? path.toRealPath() : path;
        Path dir = dest.toAbsolutePath().getParent();
        Optional<PosixFileAttributes> old = attributes(dest);
        Path tmp = Files.createTempFile(dir, "." + dest.getFileName() + ".", ".opsctl-tmp",
                PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                int mode = attrs.mode().orElseGet(() -> old.map(a -> toMode(a.permissions())).orElse(DEFAULT_MODE));
                Files.setPosixFilePermissions(tmp, permissions(mode));
                setOwnership(tmp, attrs, old);
                ch.force(true);
            }
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        fsyncDir(dir);
    }

    static Optional<FileInfo> stat(Path path) throws IOException {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class);
        Map<String, Object> ids = Files.readAttributes(path, "unix:mode,uid,gid");
        return Optional.of(new FileInfo(a.size(), ((Integer) ids.get("mode")) & 07777, a.isDirectory(),
                new PosixId((Integer) ids.get("uid"), a.owner().getName()), new PosixId((Integer) ids.get("gid"), a.group().getName())));
    }

    static byte[] get(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new IOException("'" + path + "' is a directory");
        }
        return Files.readAllBytes(path);
    }

    private static void setOwnership(Path tmp, FileAttrs attrs, Optional<PosixFileAttributes> old) throws IOException {
        UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        PosixFileAttributes now = view.readAttributes();
        Optional<UserPrincipal> owner = attrs.owner().isPresent()
                ? Optional.of(lookup.lookupPrincipalByName(attrs.owner().get()))
                : old.map(PosixFileAttributes::owner);
        Optional<GroupPrincipal> group = attrs.group().isPresent()
                ? Optional.of(lookup.lookupPrincipalByGroupName(attrs.group().get()))
                : old.map(PosixFileAttributes::group);
        if (owner.isPresent() && !owner.get().equals(now.owner())) {
            view.setOwner(owner.get());
        }
        if (group.isPresent() && !group.get().equals(now.group())) {
            view.setGroup(group.get());
        }
    }

    private static Optional<PosixFileAttributes> attributes(Path p) throws IOException {
        try {
            return Optional.of(Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for fsync; the rename itself has happened
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                out.add(bits[i]);
            }
        }
        return out;
    }

    static int toMode(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }
}
