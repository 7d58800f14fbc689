package dev.opsctl.target.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.sshj.SSHClient;

/**
 * Jump-host connections shared by every target of the process that goes through the same hops: a
 * fan-out through one bastion logs in to it once and opens a direct-tcpip channel per host, as
 * OpenSSH users get with a ControlMaster on the bastion. A connection per host would have the
 * bastion's sshd refuse most of them (its MaxStartups, 10:30:100 by default, starts dropping new
 * unauthenticated connections beyond 10 at once) and would log in to it once per host. The first
 * target that needs a hop opens it while the others wait for the outcome, failure included (a
 * bastion that does not answer costs one connect timeout, not one per host). A shared connection
 * is closed when its last target lets go, and replaced when found dead.
 */
final class JumpHosts {
    /** What decides a hop's connection: where, as whom, with which keys and known_hosts. */
    private record Hop(String hostName, int port, String user, List<Path> identityFiles, boolean useAgent,
            Optional<Path> agentSocket, boolean identitiesOnly, HostKeys hostKeys, Duration connectTimeout,
            Duration serverAliveInterval, int serverAliveCountMax, PasswordSupplier passphrases) {
        static Hop of(SshSettings s) {
            return new Hop(s.hostName(), s.port(), s.user(), s.identityFiles(), s.useAgent(), s.agentSocket(),
                    s.identitiesOnly(), s.hostKeys(), s.connectTimeout(), s.serverAliveInterval(), s.serverAliveCountMax(), s.passphrases());
        }
    }

    /** One target's hold on the last hop of its chain; released once, by {@link SshConnector.Connected#close}. */
    static final class Lease {
        private final Shared shared;
        private boolean released;

        private Lease(Shared shared) {
            this.shared = shared;
        }

        SSHClient client() {
            return shared.client;
        }

        /** The hop stopped answering: the next target to need it opens a new connection. */
        void condemn() {
            shared.condemn();
        }

        synchronized void release() {
            if (!released) {
                released = true;
                JumpHosts.release(shared);
            }
        }
    }

    /** One hop's connection (or its failure), with the lease on the hops before it. */
    private static final class Shared {
        private final List<Hop> chain;
        private int users;
        private boolean done;
        private SSHClient client;
        private Lease through;
        private SshConnector.HopFailure failure;
        private boolean condemned;

        Shared(List<Hop> chain) {
            this.chain = chain;
        }

        synchronized void opened(SSHClient c, Lease via) {
            client = c;
            through = via;
            done = true;
            notifyAll();
        }

        synchronized void failed(SshConnector.HopFailure f) {
            failure = f;
            done = true;
            notifyAll();
        }

        synchronized SSHClient await() throws SshConnector.HopFailure, InterruptedException {
            while (!done) {
                wait();
            }
            if (failure != null) {
                throw failure;
            }
            return client;
        }

        synchronized void condemn() {
            condemned = true;
        }

        synchronized boolean dead() {
            return done && (failure != null || condemned || !SshConnector.alive(client));
        }
    }

    private static final Map<List<Hop>, Shared> SHARED = new HashMap<>();
    private static final AtomicInteger LIVE = new AtomicInteger();

    private JumpHosts() {}

    /**
     * A lease on the connection to {@code target}'s last jump host, reached through the hops before
     * it (each shared the same way).
     */
    static Lease acquire(SshSettings target, Path home) throws SshConnector.HopFailure, InterruptedException {
        return acquire(target, home, Optional.empty());
    }

    /**
     * As {@link #acquire(SshSettings, Path)}; a hop this call opens has its handshake and login done
     * within {@code bound} (a call's time left), if less than its connect timeout.
     */
    static Lease acquire(SshSettings target, Path home, Optional<Duration> bound) throws SshConnector.HopFailure, InterruptedException {
        return acquire(target, target.jumps().size(), home, bound);
    }

    /** How many jump-host connections are open and not yet closed, replaced ones included (for tests). */
    static int openCount() {
        return LIVE.get();
    }

    private static Lease acquire(SshSettings target, int hops, Path home, Optional<Duration> bound)
            throws SshConnector.HopFailure, InterruptedException {
        List<Hop> chain = new ArrayList<>(hops);
        for (SshSettings hop : target.jumps().subList(0, hops)) {
            chain.add(Hop.of(hop));
        }
        while (true) {
            Shared existing;
            synchronized (SHARED) {
                existing = SHARED.get(chain);
            }
            // asked outside the map's lock: sshj's liveness check can wait on a dying transport
            boolean dead = existing != null && existing.dead();
            Shared shared;
            boolean opener = false;
            synchronized (SHARED) {
                shared = SHARED.get(chain);
                if (shared == null || (shared == existing && dead)) {
                    shared = new Shared(List.copyOf(chain));
                    SHARED.put(shared.chain, shared);
                    opener = true;
                }
                shared.users++;
            }
            if (opener) {
                open(shared, target, hops, home, bound);
            }
            try {
                shared.await();
                return new Lease(shared);
            } catch (SshConnector.HopFailure f) {
                release(shared);
                if (f.interruption() && !Thread.currentThread().isInterrupted()) {
                    continue; // the opener was interrupted, not this host: open it again
                }
                throw f;
            } catch (InterruptedException e) {
                release(shared);
                throw e;
            }
        }
    }

    private static void open(Shared shared, SshSettings target, int hops, Path home, Optional<Duration> bound) {
        SshSettings hop = target.jumps().get(hops - 1);
        Lease via = null;
        SshConnector.HopFailure failure;
        try {
            via = hops > 1 ? acquire(target, hops - 1, home, bound) : null;
            SSHClient client = SshConnector.open(target, hop, via == null ? null : via.client(), home,
                    SshConnector.connectTimeout(hop, bound));
            LIVE.incrementAndGet();
            shared.opened(client, via);
            return;
        } catch (SshConnector.HopFailure f) {
            failure = Thread.currentThread().isInterrupted() ? SshConnector.HopFailure.interrupted(hop) : f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = SshConnector.HopFailure.interrupted(hop);
        } catch (RuntimeException | Error e) {
            // the waiting hosts must hear of it too, or they would wait forever
            failure = SshConnector.HopFailure.unexpected(hop, e);
        }
        forget(shared);
        if (via != null) {
            via.release();
        }
        shared.failed(failure);
    }

    /** A failed connection stays with the targets that waited for it; the next one tries again. */
    private static void forget(Shared shared) {
        synchronized (SHARED) {
            SHARED.remove(shared.chain, shared);
        }
    }

    private static void release(Shared shared) {
        boolean last;
        synchronized (SHARED) {
            last = --shared.users == 0;
            if (last) {
                SHARED.remove(shared.chain, shared);
            }
        }
        if (last) {
            SSHClient client;
            Lease through;
            synchronized (shared) {
                client = shared.client;
                through = shared.through;
            }
            if (client != null) {
                SshConnector.quietly(client);
                LIVE.decrementAndGet();
            }
            if (through != null) {
                through.release();
            }
        }
    }
}
