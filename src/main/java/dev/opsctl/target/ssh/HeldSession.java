package dev.opsctl.target.ssh;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * A session channel that outlives one call (a forwarded connection's {@code docker system
 * dial-stdio}) and the channel permit it holds for as long as sshd counts it against MaxSessions:
 * closing closes the session, then gives the permit back, once however often it is called.
 */
final class HeldSession implements AutoCloseable {
    private final Session session;
    private final Runnable releasePermit;
    private final AtomicBoolean closed = new AtomicBoolean();

    HeldSession(Session session, Runnable releasePermit) {
        this.session = session;
        this.releasePermit = releasePermit;
    }

    Session session() {
        return session;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            session.close();
        } catch (IOException | RuntimeException e) {
            // the connection is gone: so is the channel
        } finally {
            releasePermit.run();
        }
    }
}
