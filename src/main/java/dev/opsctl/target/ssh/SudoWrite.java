package dev.opsctl.target.ssh;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.PrivateDirWrite;
import dev.opsctl.target.TargetException;
import java.time.Duration;
import java.util.Optional;
import net.schmizz.sshj.sftp.FileAttributes;

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
        Optional<String> upload = attrs.sudo().user().equals("root") ? Optional.of("/tmp/.opsctl-upload." + suffix) : Optional.empty();
        boolean done = false;
        try {
            if (upload.isPresent()) {
                target.sftp("uploading '" + path + "'", sftp -> {
                    try (SftpFile f = SftpFile.createNew(sftp.getSFTPEngine(), upload.get(), 0600)) {
                        int chunk = 32 * 1024;
                        for (int off = 0; off < content.length; off += chunk) {
                            f.write(off, content, off, Math.min(chunk, content.length - off));
                        }
                    }
                    return null;
                });
            }
            ExecRequest write = ExecRequest.of(PrivateDirWrite.script(path, suffix, attrs, content.length, upload))
                    .withSudo(attrs.sudo()).withTimeout(TIMEOUT);
            ExecResult r = target.exec(upload.isPresent() ? write : write.withStdin(content));
            if (r.timedOut()) {
                throw new TargetException(TargetException.Kind.TIMEOUT, target.host(), "host '" + target.host() + "': writing '"
                        + path + "' with sudo: no answer after " + TIMEOUT.toMinutes() + "m");
            }
            if (!r.ok()) {
                throw TargetException.remoteFailed(target.host(), "host '" + target.host() + "': writing '" + path
                        + "' with sudo failed: exit " + r.exitCode() + ": " + r.lastLine());
            }
            done = true;
        } finally {
            if (!done) {
                cleanUp(path, suffix, attrs, upload);
            }
        }
    }

    /**
     * The script's trap removes what it made when it exits or gets TERM; not when it never started
     * (sudo refused, the upload broke off) or was killed.
     */
    private void cleanUp(String path, String suffix, FileAttrs attrs, Optional<String> upload) {
        BestEffort.run(() -> target.exec(ExecRequest.of(PrivateDirWrite.cleanup(path, suffix, upload))
                .withSudo(attrs.sudo()).withTimeout(CLEANUP_TIMEOUT)));
        // the upload is the login user's: removable without sudo, should sudo be what failed
        upload.ifPresent(u -> BestEffort.run(() -> target.sftp("removing '" + u + "'", sftp -> {
            FileAttributes a = sftp.statExistence(u);
            if (a != null) {
                sftp.rm(u);
            }
            return null;
        })));
    }
}
