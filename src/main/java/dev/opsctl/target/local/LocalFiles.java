package dev.opsctl.target.local;

import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.InheritedMode;
import dev.opsctl.target.PosixId;
import dev.opsctl.target.PrivateDirWrite;
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
    static final int DEFAULT_MODE = PrivateDirWrite.NEW_FILE_MODE;

    private LocalFiles() {}

    /**
     * Writes {@code path} atomically, as the user opsctl runs as (not root: root writes go through
     * {@link PrivateDirWrite}): a 0600 temporary file beside it gets the owner and
     * mode (given, else those of the regular file it replaces: {@link InheritedMode}), the content, an fsync, and is renamed
     * over the destination; then the directory is fsync'd so the rename survives a crash. A symlink
     * at the destination is replaced by the file, never written through.
     */
    static void put(Path path, byte[] content, FileAttrs attrs) throws IOException {
        Path dest = path.toAbsolutePath();
        Path dir = dest.getParent();
        Optional<PosixFileAttributes> old = attributes(dest).filter(PosixFileAttributes::isRegularFile);
        Path tmp = Files.createTempFile(dir, "." + dest.getFileName() + ".", ".opsctl-tmp",
                PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        try {
            // chown clears set-id bits: ownership first; the mode before the content, so a secret is never wider
            setOwnership(tmp, attrs, old);
            int mode = attrs.mode().isPresent() ? attrs.mode().get() : old.isPresent() ? inheritedMode(dest, tmp) : DEFAULT_MODE;
            Files.setPosixFilePermissions(tmp, permissions(mode));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (mode > 0777) {
                // after the content: a write by a user without CAP_FSETID clears set-id bits
                Files.setAttribute(tmp, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
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

    private static int inheritedMode(Path replaced, Path tmp) throws IOException {
        Map<String, Object> was = Files.readAttributes(replaced, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
        Map<String, Object> now = Files.readAttributes(tmp, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
        return InheritedMode.of(mode(replaced), was.get("uid").equals(now.get("uid")), was.get("gid").equals(now.get("gid")));
    }

    /** With the set-id and sticky bits, which {@link PosixFileAttributes#permissions} leaves out. */
    private static int mode(Path p) throws IOException {
        return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
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
