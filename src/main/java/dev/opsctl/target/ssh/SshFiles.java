package dev.opsctl.target.ssh;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.RenameFlags;

/**
 * File transfer for {@link SshTarget}: SFTP for the login user; for sudo, an SFTP upload to a
 * private temporary file moved into place by a root shell, and reads through {@code sudo cat}.
 * Writes are atomic: a temporary file in the target directory, then rename(2). When no mode is
 * given an existing file keeps its mode (a 0600 secret never becomes world-readable by accident).
 */
final class SshFiles {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NEW_FILE_MODE = 0644;

    private final SshTarget target;

    SshFiles(SshTarget target) {
        this.target = target;
    }

    void put(String path, byte[] content, FileAttrs attrs) throws TargetException, InterruptedException {
        String suffix = ".opsctl-" + HexFormat.of().formatHex(randomBytes(6));
        if (attrs.sudo().enabled()) {
            // root reads a private upload of the login's user; another user could not, so it gets the bytes on stdin
            boolean viaUpload = attrs.sudo().user().equals("root");
            String upload = "/tmp/.opsctl-upload" + suffix;
            if (viaUpload) {
                target.sftp("uploading '" + path + "'", sftp -> {
                    write(sftp.getSFTPEngine().open(upload, EnumSet.of(OpenMode.CREAT, OpenMode.EXCL, OpenMode.WRITE),
                            new FileAttributes.Builder().withPermissions(0600).build()), content);
                    return null;
                });
            }
            String tmp = path + suffix;
            String script = "t=" + q(tmp) + "; trap 'rm -f \"$t\"" + (viaUpload ? " " + q(upload) : "") + "' EXIT; umask 077; "
                    + "cat" + (viaUpload ? " " + q(upload) : "") + " > \"$t\""
                    + " && chmod " + attrs.mode().map(m -> Integer.toOctalString(m)).orElse(Integer.toOctalString(NEW_FILE_MODE))
                    + " \"$t\""
                    + (attrs.mode().isEmpty() ? " && { [ ! -e " + q(path) + " ] || chmod --reference=" + q(path) + " \"$t\"; }" : "")
                    + " && { [ ! -e " + q(path) + " ] || chown --reference=" + q(path) + " \"$t\"; }"
                    + owner(attrs).map(o -> " && chown " + q(o) + " \"$t\"").orElse("")
                    + " && mv -f \"$t\" " + q(path);
            ExecRequest write = ExecRequest.of(script).withSudo(attrs.sudo());
            ExecResult r = target.exec(viaUpload ? write : write.withStdin(content));
            if (!r.ok() && viaUpload) {
                removeUpload(upload);
            }
            if (!r.ok()) {
                throw TargetException.remoteFailed(target.host(), "host '" + target.host() + "': writing '" + path
                        + "' with sudo failed: exit " + r.exitCode() + ": " + r.lastLine());
            }
            return;
        }
        int slash = path.lastIndexOf('/');
        String tmp = (slash < 0 ? "" : path.substring(0, slash + 1)) + "." + path.substring(slash + 1) + suffix;
        target.sftp("writing '" + path + "'", sftp -> {
            FileAttributes existing = sftp.statExistence(path);
            int mode = attrs.mode().orElse(existing == null ? NEW_FILE_MODE : existing.getMode().getPermissionsMask());
            try {
                write(sftp.getSFTPEngine().open(tmp, EnumSet.of(OpenMode.CREAT, OpenMode.EXCL, OpenMode.WRITE),
                        new FileAttributes.Builder().withPermissions(0600).build()), content);
                sftp.chmod(tmp, mode);
                sftp.rename(tmp, path, EnumSet.of(RenameFlags.OVERWRITE));
            } catch (IOException e) {
                try {
                    sftp.rm(tmp);
                } catch (IOException ignored) {
                    // the temporary file may not exist; the original error matters
                }
                throw e;
            }
            return null;
        });
        Optional<String> owner = owner(attrs);
        if (owner.isPresent()) {
            ExecResult r = target.exec(ExecRequest.of("chown " + q(owner.get()) + " " + q(path)));
            if (!r.ok()) {
                throw TargetException.remoteFailed(target.host(), "host '" + target.host() + "': changing the owner of '"
                        + path + "' to '" + owner.get() + "' failed: " + r.lastLine() + " (use sudo to give files away)");
            }
        }
    }

    byte[] get(String path, Sudo sudo) throws TargetException, InterruptedException {
        if (sudo.enabled()) {
            // decoded as it streams: the captured stdout stops at ExecResult.MAX_CAPTURE
            Base64Output content = new Base64Output();
            ExecResult r = target.exec(ExecRequest.of("base64 < " + q(path)).withSudo(sudo).withListener(content));
            if (!r.ok() || content.problem().isPresent()) {
                throw TargetException.remoteFailed(target.host(), "host '" + target.host() + "': reading '" + path
                        + "' with sudo failed: " + (r.ok() ? content.problem().get() : r.lastLine()));
            }
            return content.bytes();
        }
        return target.sftp("reading '" + path + "'", sftp -> {
            try (RemoteFile f = sftp.open(path, EnumSet.of(OpenMode.READ));
                    InputStream in = f.new RemoteFileInputStream()) {
                return in.readAllBytes();
            }
        });
    }

    private static void write(RemoteFile f, byte[] content) throws IOException {
        try (f) {
            int chunk = 32 * 1024;
            for (int off = 0; off < content.length; off += chunk) {
                f.write(off, content, off, Math.min(chunk, content.length - off));
            }
        }
    }

    private static Optional<String> owner(FileAttrs a) {
        if (a.owner().isEmpty() && a.group().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(a.owner().orElse("") + a.group().map(g -> ":" + g).orElse(""));
    }

    /** The script's trap removes the upload, but not when sudo refused to run it. */
    private void removeUpload(String upload) throws InterruptedException {
        try {
            target.sftp("removing '" + upload + "'", sftp -> {
                sftp.rm(upload);
                return null;
            });
        } catch (TargetException e) {
            // already gone (the script ran), or the connection broke: the write's own error is what matters
        }
    }

    private static String q(String s) {
        return RemoteCommand.quote(s);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
