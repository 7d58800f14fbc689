package dev.opsctl.target.ssh;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.InheritedMode;
import dev.opsctl.target.PrivateDirWrite;
import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.RenameFlags;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * A write as the login's user over SFTP: a new 0600 file beside the destination gets the owner,
 * group and mode (given, else those of the regular file it replaces: {@link InheritedMode}), then
 * the content, an fsync,
 * and is renamed over the destination. A symlink there is replaced. When the user may not give the
 * file the replaced one's owner or group, the write fails before the rename and the old file stays.
 */
final class SftpWrite {
    private final SshTarget target;

    SftpWrite(SshTarget target) {
        this.target = target;
    }

    void put(String path, byte[] content, FileAttrs attrs, String suffix) throws TargetException, InterruptedException {
        OptionalInt uid = attrs.owner().isPresent() ? OptionalInt.of(id(attrs.owner().get(), false)) : OptionalInt.empty();
        OptionalInt gid = attrs.group().isPresent() ? OptionalInt.of(id(attrs.group().get(), true)) : OptionalInt.empty();
        int slash = path.lastIndexOf('/');
        String tmp = (slash < 0 ? "" : path.substring(0, slash + 1)) + "." + path.substring(slash + 1) + ".opsctl-" + suffix;
        PartialUpload upload = new PartialUpload(target, tmp);
        AtomicBoolean renaming = new AtomicBoolean();
        boolean cleaned = false;
        try {
            Optional<String> refused = target.sftp("writing '" + path + "'",
                    sftp -> write(sftp, path, tmp, content, attrs, uid, gid, renaming));
            if (refused.isPresent()) {
                throw TargetException.remoteFailed(target.host(), "host '" + target.host() + "': writing '" + path + "' failed: "
                        + refused.get() + "; the file was not changed (give 'owner'/'group' the login user may set, or use 'sudo: true')");
            }
            cleaned = true;
        } catch (TargetException e) {
            if (e.kind() != TargetException.Kind.CONNECTION_LOST) {
                throw e;
            }
            cleaned = true;
            throw upload.lost(e, path, renaming.get());
        } finally {
            if (!cleaned) {
                upload.remove();
            }
        }
    }

    /**
     * The refusal to set owner and group, if any; the file is then not renamed into place.
     * {@code renaming} is set once the rename is asked for: a connection lost after that may have replaced the file.
     */
    private static Optional<String> write(SFTPClient sftp, String path, String tmp, byte[] content, FileAttrs attrs,
            OptionalInt uid, OptionalInt gid, AtomicBoolean renaming) throws IOException {
        FileAttributes old = lstat(sftp, path);
        boolean regular = old != null && old.getType() == FileMode.Type.REGULAR;
        try (SftpFile f = SftpFile.createNew(sftp.getSFTPEngine(), tmp, 0600)) {
            FileAttributes mine = f.fetchAttributes();
            int u = uid.orElse(regular ? old.getUID() : mine.getUID());
            int g = gid.orElse(regular ? old.getGID() : mine.getGID());
            int mode = attrs.mode().orElse(regular
                    ? InheritedMode.of(old.getMode().getPermissionsMask(), u == old.getUID(), g == old.getGID())
                    : PrivateDirWrite.NEW_FILE_MODE);
            if (u != mine.getUID() || g != mine.getGID()) {
                try {
                    f.setAttributes(new FileAttributes.Builder().withUIDGID(u, g).build());
                } catch (SFTPException e) {
                    if (e.getStatusCode() != Response.StatusCode.PERMISSION_DENIED) {
                        throw e;
                    }
                    return Optional.of("the login user may not give it owner " + u + " and group " + g
                            + (attrs.owner().isEmpty() && attrs.group().isEmpty() ? " (those of the file it replaces)" : ""));
                }
            }
            // the final mode before the content, so a secret is never readable more widely
            f.setAttributes(new FileAttributes.Builder().withPermissions(mode & 0777).build());
            write(f, content);
            if (mode > 0777) {
                // set-id bits after the content: a write by a user without CAP_FSETID clears them
                f.setAttributes(new FileAttributes.Builder().withPermissions(mode).build());
            }
            f.fsync();
        }
        renaming.set(true);
        sftp.rename(tmp, path, EnumSet.of(RenameFlags.OVERWRITE));
        return Optional.empty();
    }

    private static FileAttributes lstat(SFTPClient sftp, String path) throws IOException {
        try {
            return sftp.lstat(path);
        } catch (SFTPException e) {
            if (e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
                return null;
            }
            throw e;
        }
    }

    private static void write(SftpFile f, byte[] content) throws IOException {
        int chunk = 32 * 1024;
        for (int off = 0; off < content.length; off += chunk) {
            f.write(off, content, off, Math.min(chunk, content.length - off));
        }
    }

    /** The number of a user, or of a group, on the host: SFTP sets owners by number only. */
    private int id(String name, boolean group) throws TargetException, InterruptedException {
        String command = group ? "getent group -- " + RemoteCommand.quote(name) + " | cut -d: -f3"
                : "id -u -- " + RemoteCommand.quote(name);
        ExecResult r = target.exec(ExecRequest.of(command));
        String number = r.stdout().strip();
        if (!r.ok() || !number.matches("\\d+")) {
            throw TargetException.remoteFailed(target.host(), "host '" + target.host() + "': no " + (group ? "group" : "user")
                    + " '" + name + "'");
        }
        return Integer.parseInt(number);
    }
}
