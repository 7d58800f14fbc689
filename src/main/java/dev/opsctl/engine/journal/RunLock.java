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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps two runs of one runbook off the same hosts: {@code <stateDir>/locks/<sha256(name + hosts)>.lock}
 * held with an OS file lock, which dies with its process, so a file left by a killed run never
 * blocks anyone. The file names the holder for the refusal message. The file is never deleted:
 * deleting a lock file another process has just opened would let two runs both "hold" it.
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

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static Path file(Path locksDir, String runbook, List<String> hosts) {
        String key = runbook + "\n" + String.join("\n", hosts.stream().sorted().toList());
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return locksDir.resolve(HexFormat.of().formatHex(d) + ".lock");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static RunLock acquire(Path locksDir, String runbook, List<String> hosts, Holder me)
            throws IOException, RunLockedException {
        PrivateFiles.directory(locksDir);
        Path file = PrivateFiles.file(file(locksDir, runbook, hosts));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another run in this JVM (the incident shell)
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new RunLockedException(runbook, readHolder(file));
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(Json.write(me.toMap()).getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(true);
        return new RunLock(ch, lock);
    }

    /** True when a live run holds the lock (a probe: takes and drops it at once, writes nothing). */
    public static boolean isHeld(Path locksDir, String runbook, List<String> hosts) {
        Path file = file(locksDir, runbook, hosts);
        if (!Files.exists(file)) {
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
        try {
            channel.truncate(0);
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the OS drops the lock with the channel or the process anyway
        }
    }
}
