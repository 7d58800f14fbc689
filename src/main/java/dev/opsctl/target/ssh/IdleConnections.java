package dev.opsctl.target.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Connections kept open for a while after their last host let go of them, for the next command of
 * the same process to reuse: OpenSSH's ControlPersist, within one process (the incident shell), with
 * no socket for anyone else to reach. Off (zero) unless {@link #keep} is called: a one-shot command
 * closes its connections when it ends. Only an unused connection is kept, and it is handed to one
 * host at a time, so a host's channel limit (MaxSessions) still holds. A kept connection idle for
 * longer than {@link #PROBE_AFTER} answers a keepalive before it is reused: a host that went away
 * meanwhile costs a new connection, not a failed command.
 */
final class IdleConnections {
    /** How many connections are kept at most; the oldest is closed for a newer one (fds, threads). */
    static final int MAX_KEPT = 512;
    static final Duration PROBE_AFTER = Duration.ofSeconds(10);

    /** What decides whether a connection serves a host: where, as whom, with which keys, known_hosts and hops. */
    private record Key(String hostName, int port, String user, List<Path> identityFiles, boolean useAgent,
            Optional<Path> agentSocket, boolean identitiesOnly, HostKeys hostKeys, Duration connectTimeout,
            Duration serverAliveInterval, int serverAliveCountMax, List<Key> jumps) {
        static Key of(SshSettings s) {
            return new Key(s.hostName(), s.port(), s.user(), s.identityFiles(), s.useAgent(), s.agentSocket(),
                    s.identitiesOnly(), s.hostKeys(), s.connectTimeout(), s.serverAliveInterval(), s.serverAliveCountMax(),
                    s.jumps().stream().map(Key::of).toList());
        }
    }

    private static final class Kept {
        final Key key;
        final SshConnector.Connected connection;
        final long sinceNanos = System.nanoTime();
        ScheduledFuture<?> expiry; // set under the map's lock, right after the connection is kept

        Kept(Key key, SshConnector.Connected connection) {
            this.key = key;
            this.connection = connection;
        }
    }

    private static final Map<Key, Deque<Kept>> KEPT = new HashMap<>();
    private static final Deque<Kept> OLDEST_FIRST = new ArrayDeque<>();
    private static Duration keep = Duration.ZERO;
    private static volatile Duration probeAfter = PROBE_AFTER;
    private static ScheduledExecutorService timer;

    private IdleConnections() {}

    /** Keep connections this long after their last use; zero closes them (and those kept) at once. */
    static void keep(Duration idle) {
        synchronized (KEPT) {
            keep = idle;
        }
        if (idle.isZero()) {
            closeAll();
        }
    }

    /** How long a kept connection may be idle before it is asked whether its host is still there (tests). */
    static void probeAfter(Duration idle) {
        probeAfter = idle;
    }

    static Duration keptFor() {
        synchronized (KEPT) {
            return keep;
        }
    }

    /** How many connections are kept now. */
    static int count() {
        synchronized (KEPT) {
            return OLDEST_FIRST.size();
        }
    }

    /**
     * A kept connection for {@code target}, alive (asked again if idle long), marked reused; empty
     * when none is kept. One found dead is closed.
     */
    static Optional<SshConnector.Connected> take(SshSettings target) {
        synchronized (KEPT) {
            if (OLDEST_FIRST.isEmpty()) {
                return Optional.empty();
            }
        }
        Key key = Key.of(target);
        while (true) {
            Kept k;
            synchronized (KEPT) {
                Deque<Kept> q = KEPT.get(key);
                if (q == null) {
                    return Optional.empty();
                }
                k = q.pollLast(); // the most recently used first: the likeliest to be alive
                if (q.isEmpty()) {
                    KEPT.remove(key);
                }
                OLDEST_FIRST.remove(k);
            }
            k.expiry.cancel(false);
            SshConnector.Connected c = k.connection;
            if (!c.alive()) {
                c.close();
                continue;
            }
            boolean longIdle = System.nanoTime() - k.sinceNanos >= probeAfter.toNanos();
            if (!longIdle || c.answersWithin(target.connectTimeout())) {
                return Optional.of(c.asReused());
            }
            // silent: so are the others kept for this host, and maybe the jump host on the way
            if (c.via() != null) {
                c.via().condemn();
            }
            c.close();
            closeAll(key);
            return Optional.empty();
        }
    }

    private static void closeAll(Key key) {
        List<Kept> all;
        synchronized (KEPT) {
            Deque<Kept> q = KEPT.remove(key);
            all = q == null ? List.of() : new ArrayList<>(q);
            OLDEST_FIRST.removeAll(all);
        }
        for (Kept k : all) {
            k.expiry.cancel(false);
            k.connection.close();
        }
    }

    /**
     * Keeps {@code c} for the next host with the same settings, or closes it: when keeping is off,
     * the connection is dead, or channels may still be open on it ({@code clean} false).
     */
    static void release(SshSettings target, SshConnector.Connected c, boolean clean) {
        List<Kept> evicted = new ArrayList<>();
        boolean alive = clean && c.alive(); // outside the lock: a dying transport makes it wait
        synchronized (KEPT) {
            if (!keep.isZero() && alive) {
                Key key = Key.of(target);
                Kept k = new Kept(key, c);
                k.expiry = timer().schedule(() -> expire(k), keep.toMillis(), TimeUnit.MILLISECONDS);
                KEPT.computeIfAbsent(key, x -> new ArrayDeque<>()).addLast(k);
                OLDEST_FIRST.addLast(k);
                while (OLDEST_FIRST.size() > MAX_KEPT) {
                    Kept old = OLDEST_FIRST.pollFirst();
                    forget(old);
                    evicted.add(old);
                }
                c = null;
            }
        }
        for (Kept old : evicted) {
            old.expiry.cancel(false);
            old.connection.close();
        }
        if (c != null) {
            c.close();
        }
    }

    /** Closes every kept connection; returns how many there were. */
    static int closeAll() {
        List<Kept> all;
        synchronized (KEPT) {
            all = new ArrayList<>(OLDEST_FIRST);
            OLDEST_FIRST.clear();
            KEPT.clear();
        }
        for (Kept k : all) {
            k.expiry.cancel(false);
            k.connection.close();
        }
        return all.size();
    }

    private static void expire(Kept k) {
        boolean mine;
        synchronized (KEPT) {
            mine = OLDEST_FIRST.remove(k);
            if (mine) {
                forget(k);
            }
        }
        if (mine) {
            k.connection.close();
        }
    }

    private static void forget(Kept k) {
        Deque<Kept> q = KEPT.get(k.key);
        if (q != null) {
            q.remove(k);
            if (q.isEmpty()) {
                KEPT.remove(k.key);
            }
        }
    }

    private static ScheduledExecutorService timer() {
        if (timer == null) {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread th = new Thread(r, "ssh-idle-connections");
                th.setDaemon(true);
                return th;
            });
            t.setRemoveOnCancelPolicy(true);
            timer = t;
        }
        return timer;
    }
}
