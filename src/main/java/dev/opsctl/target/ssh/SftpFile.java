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

    /** A close, of a file or of the SFTP client, that can fail. */
    @FunctionalInterface
    interface Close {
        void run() throws IOException;
    }

    /**
     * {@code close}, whose failure is a new exception. A close after a broken connection throws the
     * very exception the failed read or write did (sshj hands one error to every pending request),
     * and try-with-resources cannot add an exception to itself: it threw IllegalArgumentException
     * ("Self-suppression not permitted") in place of the lost connection.
     */
    static void closeAsItsOwnFailure(Close close) throws IOException {
        try {
            close.run();
        } catch (IOException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        closeAsItsOwnFailure(super::close);
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
