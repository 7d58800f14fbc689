package dev.opsctl.engine.journal;

import dev.opsctl.source.InstantText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Keeps two runs of one runbook off the same host: one {@code <stateDir>/locks/<sha256(name + host)>.lock}
 * per host, each held with an OS file lock, which dies with its process, so a file left by a killed
 * run never blocks anyone. A run takes every host's lock before it starts, so runs on overlapping
 * host sets ({@code -l web1} and the whole group) exclude each other; a run on other hosts does not
 * wait. A resume or rollback also takes its run's own lock (in the run directory): two rollbacks of
 * one run on different hosts would otherwise both append to its journal. The files name the holder
 * for the refusal message. They are never deleted: deleting a lock file another process has just
 * opened would let two runs both "hold" it.
 *
 * <p>The OS lock is a POSIX record lock, which the process loses when it closes <em>any</em> descriptor
 * of the file, not just the one that took it. So a file this process holds (the incident shell runs
 * several commands in one JVM) is never opened again while held: what it holds is kept in
 * {@link #HELD}, consulted first, and every open and close of a lock file happens under it.
 */
public final class RunLock implements AutoCloseable {
    /** Who holds a lock, as the refusal message names it. */
    public record Holder(String runId, long pid, String operator, String controller, Instant started) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("runId", runId);
            m.put("pid", pid);
            m.put("operator", operator);
            m.put("controller", controller);
            m.put("started", started.toString());
            return m;
        }
    }

    /** A lock file, and what a refusal on it says is already going on ({@code namesRun}: and by which run). */
    private record Key(Path file, String busy, boolean namesRun) {}

    private record Held(Object identity, FileChannel channel, FileLock lock) {}

    /**
     * The lock files this process holds, and by whom: the kernel's view of the locks is per process, and so is
     * this. Keyed by the file itself (device and inode), not its path: one state directory can be spelled two
     * ways ({@code --state-dir ./state} and its absolute path, a symlink).
     */
    private static final Map<Object, Holder> HELD = new HashMap<>();

    private final List<Held> held;

    private RunLock(List<Held> held) {
        this.held = held;
    }

    public static Path file(Path locksDir, String runbook, String host) {
        String key = runbook + "\n" + host;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return locksDir.resolve(HexFormat.of().formatHex(d) + ".lock");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A run's own lock file, in its run directory. */
    private static Path runFile(Path runDir) {
        return runDir.resolve("run.lock");
    }

    /** Every host's lock, or none: refused naming the first host (in name order) another live run holds. */
    public static RunLock acquire(Path locksDir, String runbook, List<String> hosts, Holder me)
            throws IOException, RunLockedException {
        return acquire(locksDir, List.of(runbook), hosts, Optional.empty(), me);
    }

    /**
     * The lock of {@code runDir}'s run when given (a resume or rollback of it), then every host's lock under
     * each of {@code runbooks}; all of them, or none. A resumed run whose runbook was renamed since (a forced
     * resume) holds its hosts under every name it has run as, so a run under either name waits its turn.
     */
    public static RunLock acquire(Path locksDir, Collection<String> runbooks, List<String> hosts, Optional<Path> runDir, Holder me)
            throws IOException, RunLockedException {
        List<Key> keys = new ArrayList<>();
        runDir.ifPresent(d -> keys.add(new Key(runFile(d), "run " + d.getFileName() + " is already being resumed or rolled back", true)));
        for (String runbook : new TreeSet<>(runbooks)) {
            for (String host : new TreeSet<>(hosts)) {
                keys.add(new Key(file(locksDir, runbook, host), "runbook '" + runbook + "' is already running on host '" + host + "'", false));
            }
        }
        synchronized (HELD) {
            PrivateFiles.directory(locksDir);
            List<Held> taken = new ArrayList<>();
            try {
                for (Key k : keys) {
                    taken.add(take(k));
                }
                // not forced to disk: the holder is for the refusal message, and the lock itself is the kernel's
                byte[] holder = Json.write(me.toMap()).getBytes(StandardCharsets.UTF_8);
                for (Held h : taken) {
                    h.channel().truncate(0);
                    h.channel().write(ByteBuffer.wrap(holder), 0);
                    HELD.put(h.identity(), me);
                }
            } catch (IOException | RunLockedException | RuntimeException e) {
                release(taken, false);
                throw e;
            }
            return new RunLock(List.copyOf(taken));
        }
    }

    /** Under {@link #HELD}. */
    private static Held take(Key k) throws IOException, RunLockedException {
        Path file = PrivateFiles.file(k.file());
        Object identity = identity(file);
        Holder mine = HELD.get(identity);
        if (mine != null) {
            throw new RunLockedException(k.busy(), k.namesRun(), Optional.of(mine));
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            // this process holds it some way HELD did not see: closing the channel would drop that lock, so it stays open
            throw new RunLockedException(k.busy(), k.namesRun(), Optional.empty());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close(); // this process held no lock on it: closing drops nothing
            throw new RunLockedException(k.busy(), k.namesRun(), readHolder(file));
        }
        return new Held(identity, ch, lock);
    }

    /**
     * True when run {@code runId} is live: its holder is named in a host's lock file, and that lock is held.
     * Only a file naming this run is probed (taken and dropped at once), so a live run of other hosts is never
     * disturbed, and a killed run (its name left in the file, the lock gone with its process) is not live.
     */
    public static boolean isHeld(Path locksDir, String runbook, List<String> hosts, String runId) {
        if (hosts.isEmpty()) {
            return false;
        }
        Path file = file(locksDir, runbook, new TreeSet<>(hosts).first());
        synchronized (HELD) {
            FileChannel ch = null;
            try {
                if (!Files.exists(file)) {
                    return false;
                }
                Holder mine = HELD.get(identity(file));
                if (mine != null) {
                    return mine.runId().equals(runId);
                }
                if (readHolder(file).filter(h -> h.runId().equals(runId)).isEmpty()) {
                    return false;
                }
                ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock l = ch.tryLock();
                if (l != null) {
                    l.release();
                }
                ch.close();
                return l == null;
            } catch (OverlappingFileLockException e) {
                return true; // held by this process some way HELD did not see: ch stays open, closing it would drop the lock
            } catch (IOException | RuntimeException e) {
                closeQuietly(ch);
                return false;
            }
        }
    }

    /** The holder named in the lock file, if it can be read (a run just starting may not have written it yet). */
    static Optional<Holder> readHolder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.isBlank()) {
                return Optional.empty();
            }
            Map<String, Object> m = Json.parse(text);
            return Optional.of(new Holder(Json.str(m, "runId"), Json.num(m, "pid"), Json.str(m, "operator"),
                    Json.str(m, "controller"), InstantText.parse(Json.str(m, "started"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        synchronized (HELD) {
            release(held, true);
        }
    }

    /** Under {@link #HELD}. {@code clear}: empty the files first (only a holder that wrote its name clears it). */
    private static void release(List<Held> locks, boolean clear) {
        for (Held h : locks) {
            HELD.remove(h.identity());
            try {
                if (clear) {
                    h.channel().truncate(0);
                }
                h.lock().release();
                h.channel().close();
            } catch (IOException e) {
                // the OS drops the lock with the channel or the process anyway
            }
        }
    }

    /** The file itself, without opening it: device and inode where the file system has them. */
    private static Object identity(Path file) throws IOException {
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        return key != null ? key : file.toRealPath();
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing held on it
            }
        }
    }
}
