package dev.opsctl.target.ssh;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.PrivateDirWrite;
import dev.opsctl.target.TargetException;
import java.time.Duration;
import java.util.Optional;

/**
 * A write through sudo: {@link PrivateDirWrite}'s script run by the sudo user. For root the content
 * goes first to a private 0600 upload in /tmp (SFTP, faster than stdin), which the script removes;
 * another user could not read that, so it gets the content on stdin. Whatever way the write fails
 * (exit status, timeout, lost connection, interrupt) what it created is removed, best effort.
 */
final class SudoWrite {
    static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(30);

    private final SshTarget target;

    SudoWrite(SshTarget target) {
        this.target = target;
    }

    void put(String path, byte[] content, FileAttrs attrs, String suffix) throws TargetException, InterruptedException {
        Optional<PartialUpload> upload = attrs.sudo().user().equals("root")
                ? Optional.of(new PartialUpload(target, "/tmp/.opsctl-upload." + suffix)) : Optional.empty();
        String what = "writing '" + path + "' with sudo";
        boolean cleaned = false;
        try {
            if (upload.isPresent()) {
                try {
                    target.sftp(what, sftp -> {
                        try (SftpFile f = SftpFile.createNew(sftp.getSFTPEngine(), upload.get().path(), 0600)) {
                            int chunk = 32 * 1024;
                            for (int off = 0; off < content.length; off += chunk) {
                                f.write(off, content, off, Math.min(chunk, content.length - off));
                            }
                        }
                        return null;
                    });
                } catch (TargetException e) {
                    if (e.kind() != TargetException.Kind.CONNECTION_LOST) {
                        throw e;
                    }
                    cleaned = true; // the script never ran: the upload is all there is to remove
                    throw upload.get().lost(e, path, false);
                }
            }
            ExecRequest write = ExecRequest.of(PrivateDirWrite.script(path, suffix, attrs, content.length, upload.map(PartialUpload::path)))
                    .withSudo(attrs.sudo()).withTimeout(TIMEOUT).withDescription(what);
            ExecResult r;
            try {
                r = target.exec(upload.isPresent() ? write : write.withStdin(content));
            } catch (TargetException e) {
                if (e.kind() != TargetException.Kind.CONNECTION_LOST) {
                    throw e;
                }
                cleaned = true;
                Optional<String> failed = cleanUp(path, suffix, attrs, upload);
                throw failed.isEmpty() ? e : new TargetException(e.kind(), e.host(), e.getMessage() + "; what it made may be left on the host ("
                        + upload.map(u -> "'" + u.path() + "', ").orElse("") + "'" + privateDir(path, suffix) + "'): " + failed.get(),
                        e.getCause()).withOutputSoFar(e.outputSoFar()).withLostCommand(e.lostCommand());
            }
            if (r.timedOut()) {
                throw new TargetException(TargetException.Kind.TIMEOUT, target.host(), "host '" + target.host() + "': writing '"
                        + path + "' with sudo: no answer after " + TIMEOUT.toMinutes() + "m");
            }
            if (!r.ok()) {
                throw TargetException.remoteFailed(target.host(), "host '" + target.host() + "': writing '" + path
                        + "' with sudo failed: exit " + r.exitCode() + ": " + r.lastLine());
            }
            cleaned = true;
        } finally {
            if (!cleaned) {
                cleanUp(path, suffix, attrs, upload);
            }
        }
    }

    private static String privateDir(String path, String suffix) {
        int slash = path.lastIndexOf('/');
        return path.substring(0, slash + 1) + PrivateDirWrite.dirName(path, suffix);
    }

    /**
     * The script's trap removes what it made when it exits or gets TERM; not when it never started
     * (sudo refused, the upload broke off) or was killed. Empty when the clean-up ran; else why not.
     */
    private Optional<String> cleanUp(String path, String suffix, FileAttrs attrs, Optional<PartialUpload> upload) {
        Optional<String> script = BestEffort.run(() -> target.exec(ExecRequest.of(PrivateDirWrite.cleanup(path, suffix,
                upload.map(PartialUpload::path))).withSudo(attrs.sudo()).withTimeout(CLEANUP_TIMEOUT)));
        // the upload is the login user's: removable without sudo, should sudo be what failed
        Optional<String> removal = upload.flatMap(u -> u.remove().failure());
        return removal.isPresent() ? removal : script;
    }
}
