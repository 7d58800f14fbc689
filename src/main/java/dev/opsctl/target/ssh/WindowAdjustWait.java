package dev.opsctl.target.ssh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.Connection;
import net.schmizz.sshj.connection.channel.Channel;

/**
 * Holds the transport's reader back until data a channel received fits the window sshj counts for
 * it. sshj's stream reader sends a window adjustment, then adds it to the window: a thread slowed
 * down between the two (a loaded machine) let the server's answer, data on the channel's other
 * stream (stderr after stdout), arrive first, and sshj killed the connection with "Window consumed
 * to below 0" (sshj issue 203; seen once in CI). The count catches up within microseconds, so the
 * wait is bounded; data a server sent beyond what it was given still fails as before.
 */
final class WindowAdjustWait {
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private WindowAdjustWait() {}

    /** Before {@code packet} ({@code msg}) is handled; the packet is left as it was. */
    static void beforeData(Connection connection, Message msg, SSHPacket packet) {
        if (msg != Message.CHANNEL_DATA && msg != Message.CHANNEL_EXTENDED_DATA) {
            return;
        }
        int start = packet.rpos();
        try {
            Channel channel = connection.get(packet.readUInt32AsInt());
            if (msg == Message.CHANNEL_EXTENDED_DATA) {
                packet.readUInt32(); // data type
            }
            long length = packet.readUInt32();
            if (channel == null || channel.getLocalWinSize() >= length) {
                return;
            }
            long deadline = System.nanoTime() + MAX_WAIT_NANOS;
            while (channel.getLocalWinSize() < length && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(50_000);
            }
        } catch (Buffer.BufferException e) {
            // a malformed packet: sshj's own handling reports it
        } finally {
            packet.rpos(start);
        }
    }
}
