package dev.opsctl.target.ssh;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.TargetException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
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
            ExecResult r = target.exec(ExecRequest.of("base64 < " + q(path)).withSudo(sudo));
            if (!r.ok()) {
                throw TargetException.remoteFailed(target.host(), "host '" + target.host() + "': reading '" + path
                        + "' with sudo failed: " + r.lastLine());
            }
            return Base64.getMimeDecoder().decode(r.stdout());
        }
        return target.sftp("reading '" + path + "'", sftp -> {
            try (RemoteFile f = sftp.open(path, EnumSet.of(OpenMode.READ));
                    InputStream in = f.new RemoteFileInputStream()) {
                return in.readAllBytes();
            }
        });
    }

    Optional<FileInfo> stat(String path, Sudo sudo) throws TargetException, InterruptedException {
        if (sudo.enabled()) {
            ExecResult r = target.exec(ExecRequest.of("if [ -e " + q(path) + " ]; then stat -L -c '%s %a %F' -- " + q(path)
                    + "; else echo missing; fi").withSudo(sudo));
            String out = r.stdout().strip();
            if (!r.ok()) {
                throw TargetException.remoteFailed(target.host(), "host '" + target.host() + "': stat '" + path
                        + "' with sudo failed: " + r.lastLine());
            }
            if (out.equals("missing")) {
                return Optional.empty();
            }
            String[] f = out.split(" ", 3);
            return Optional.of(new FileInfo(Long.parseLong(f[0]), Integer.parseInt(f[1], 8), f[2].equals("directory")));
        }
        return target.sftp("stat '" + path + "'", sftp -> {
            FileAttributes a = sftp.statExistence(path);
            if (a == null) {
                return Optional.<FileInfo>empty();
            }
            return Optional.of(new FileInfo(a.getSize(), a.getMode().getPermissionsMask(),
                    a.getType() == FileMode.Type.DIRECTORY));
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
