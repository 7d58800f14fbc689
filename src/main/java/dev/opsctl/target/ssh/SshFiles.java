package dev.opsctl.target.ssh;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.TargetException;
import java.io.Closeable;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;

/**
 * File transfer for {@link SshTarget}: writes as the login user through {@link SftpWrite}, with
 * sudo through {@link SudoWrite}; reads through SFTP, or {@code base64} run with sudo.
 */
final class SshFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SshTarget target;
    private final SudoWrite sudoWrite;
    private final SftpWrite sftpWrite;

    SshFiles(SshTarget target) {
        this.target = target;
        this.sudoWrite = new SudoWrite(target);
        this.sftpWrite = new SftpWrite(target);
    }

    void put(String path, byte[] content, FileAttrs attrs) throws TargetException, InterruptedException {
        String suffix = HexFormat.of().formatHex(randomBytes(6));
        if (attrs.sudo().enabled()) {
            sudoWrite.put(path, content, attrs, suffix);
        } else {
            sftpWrite.put(path, content, attrs, suffix);
        }
    }

    byte[] get(String path, Sudo sudo) throws TargetException, InterruptedException {
        if (sudo.enabled()) {
            // decoded as it streams: the captured stdout stops at ExecResult.MAX_CAPTURE
            Base64Output content = new Base64Output();
            ExecResult r = target.exec(ExecRequest.of(Base64Output.command(q(path))).withSudo(sudo).withListener(content));
            if (!r.ok() || content.problem().isPresent()) {
                throw TargetException.remoteFailed(target.host(), "host '" + target.host() + "': reading '" + path
                        + "' with sudo failed: " + (r.ok() ? content.problem().get() : r.lastLine()));
            }
            return content.bytes();
        }
        return target.sftp("reading '" + path + "'", sftp -> {
            RemoteFile f = sftp.open(path, EnumSet.of(OpenMode.READ));
            try (Closeable file = () -> SftpFile.closeAsItsOwnFailure(f::close); InputStream in = f.new RemoteFileInputStream()) {
                return in.readAllBytes();
            }
        });
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
