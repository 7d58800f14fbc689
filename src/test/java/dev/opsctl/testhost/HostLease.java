package dev.opsctl.testhost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Exclusive use of some host numbers by one test JVM. Host names and addresses are machine-wide,
 * so two builds (say, in two worktrees) would otherwise tear down each other's hosts; with the
 * lease the second waits for the first.
 */
final class HostLease implements AutoCloseable {

    private final List<FileChannel> channels = new ArrayList<>();

    private HostLease() {}

    static HostLease acquire(Path stateDir, List<Integer> numbers, Duration wait) {
        HostLease lease = new HostLease();
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            Files.createDirectories(stateDir);
            for (int n : numbers) {
                FileChannel ch = FileChannel.open(stateDir.resolve("h" + n + ".lease"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                lease.channels.add(ch);
                FileLock lock;
                while ((lock = ch.tryLock()) == null) {
                    if (System.nanoTime() > deadline) {
                        lease.close();
                        throw new IllegalStateException("test host " + n + " is still in use by another test run after "
                                + wait.toSeconds() + " s (lease file '" + stateDir.resolve("h" + n + ".lease") + "')");
                    }
                    Thread.sleep(200);
                }
            }
            return lease;
        } catch (IOException e) {
            lease.close();
            throw new UncheckedIOException("could not lease test hosts " + numbers, e);
        } catch (InterruptedException e) {
            lease.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for test hosts " + numbers, e);
        }
    }

    @Override
    public void close() {
        for (FileChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing releases the lock; nothing else to undo
            }
        }
        channels.clear();
    }
}
