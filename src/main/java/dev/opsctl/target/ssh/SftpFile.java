package dev.opsctl.target.ssh;

import java.io.IOException;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.SFTPEngine;

/**
 * A file newly created over SFTP (it must not exist yet) that can be fsync'd: sshj keeps the handle
 * that OpenSSH's {@code fsync@openssh.com} extension needs to itself, so this opens it by hand.
 */
final class SftpFile extends RemoteFile {
    private SftpFile(SFTPEngine engine, String path, byte[] handle) {
        super(engine, path, handle);
    }

    static SftpFile createNew(SFTPEngine engine, String path, int mode) throws IOException {
        byte[] handle = engine.request(engine.newRequest(PacketType.OPEN)
                        .putString(path, engine.getSubsystem().getRemoteCharset())
                        .putUInt32(OpenMode.toMask(EnumSet.of(OpenMode.CREAT, OpenMode.EXCL, OpenMode.WRITE)))
                        .putFileAttributes(new FileAttributes.Builder().withPermissions(mode).build()))
                .retrieve(engine.getTimeoutMs(), TimeUnit.MILLISECONDS)
                .ensurePacketTypeIs(PacketType.HANDLE)
                .readBytes();
        return new SftpFile(engine, path, handle);
    }

    /**
     * A close after a broken connection throws the very exception the failed write did (sshj hands
     * one error to every pending request), and try-with-resources cannot add an exception to itself
     * (IllegalArgumentException: "Self-suppression not permitted"): a close failure is a new one.
     */
    @Override
    public void close() throws IOException {
        try {
            super.close();
        } catch (IOException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** fsync(2) on the host; false when its server lacks the extension (not OpenSSH). */
    boolean fsync() throws IOException {
        if (!requester.supportsServerExtension("fsync", "openssh.com")) {
            return false;
        }
        requester.request(requester.newExtendedRequest("fsync@openssh.com").putString(handle))
                .retrieve(requester.getTimeoutMs(), TimeUnit.MILLISECONDS)
                .ensureStatusPacketIsOK();
        return true;
    }
}
