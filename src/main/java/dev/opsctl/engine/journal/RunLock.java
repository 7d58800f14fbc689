package dev.opsctl.engine.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
 * wait. The files name the holder for the refusal message. They are never deleted: deleting a lock
 * file another process has just opened would let two runs both "hold" it.
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

    private record Held(FileChannel channel, FileLock lock) {}

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

    /** Every host's lock, or none: refused naming the first host (in name order) another live run holds. */
    public static RunLock acquire(Path locksDir, String runbook, List<String> hosts, Holder me)
            throws IOException, RunLockedException {
        return acquire(locksDir, List.of(runbook), hosts, me);
    }

    /**
     * Every host's lock under each of {@code runbooks}, or none. A resumed run whose runbook was renamed since
     * (a forced resume) holds its hosts under every name it has run as, so neither a run under the old name nor
     * one under the new one runs beside it.
     */
    public static RunLock acquire(Path locksDir, Collection<String> runbooks, List<String> hosts, Holder me)
            throws IOException, RunLockedException {
        PrivateFiles.directory(locksDir);
        List<Held> taken = new ArrayList<>();
        try {
            for (String runbook : new TreeSet<>(runbooks)) {
                for (String host : new TreeSet<>(hosts)) {
                    taken.add(take(locksDir, runbook, host));
                }
            }
            // not forced to disk: the holder is for the refusal message, and the lock itself is the kernel's
            byte[] holder = Json.write(me.toMap()).getBytes(StandardCharsets.UTF_8);
            for (Held h : taken) {
                h.channel().truncate(0);
                h.channel().write(ByteBuffer.wrap(holder), 0);
            }
        } catch (IOException | RunLockedException | RuntimeException e) {
            release(taken, false);
            throw e;
        }
        return new RunLock(List.copyOf(taken));
    }

    private static Held take(Path locksDir, String runbook, String host) throws IOException, RunLockedException {
        Path file = PrivateFiles.file(file(locksDir, runbook, host));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another run in this JVM (the incident shell)
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new RunLockedException(runbook, host, readHolder(file));
        }
        return new Held(ch, lock);
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
        if (!Files.exists(file) || readHolder(file).filter(h -> h.runId().equals(runId)).isEmpty()) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
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
                    Json.str(m, "controller"), Instant.parse(Json.str(m, "started"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        release(held, true);
    }

    /** {@code clear}: empty the files first (only a holder that wrote its name clears it). */
    private static void release(List<Held> locks, boolean clear) {
        for (Held h : locks) {
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
}
