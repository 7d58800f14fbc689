package dev.opsctl.target.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.time.Duration;

/**
 * Ends a command and everything it started. A command started through {@code setsid} leads its own
 * process group, so signalling the group also reaches children that were re-parented to init
 * ({@code sleep 300 &} after the shell exited), which {@link ProcessHandle#descendants()} no longer sees.
 */
final class ProcessTree {
    static final Duration GRACE = Duration.ofSeconds(2);

    private static final Optional<String> SETSID = findSetsid();

    private ProcessTree() {}

    /** The setsid binary, when this system has one. */
    static Optional<String> setsid() {
        return SETSID;
    }

    /** TERM to the group (or the tree), then KILL after {@link #GRACE} for whatever is left. Never throws. */
    static void kill(Process process, boolean ownGroup) {
        // an interrupted caller still needs the tree gone: clear the flag while killing, restore it after
        boolean interrupted = Thread.interrupted();
        try {
            long pgid = process.pid();
            List<ProcessHandle> tree = process.descendants().toList();
            if (ownGroup) {
                signalGroup(pgid, "TERM");
            }
            process.destroy();
            tree.forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + GRACE.toNanos();
            while (System.nanoTime() < deadline && alive(process, tree, ownGroup, pgid)) {
                interrupted |= pause(50);
            }
            if (alive(process, tree, ownGroup, pgid)) {
                if (ownGroup) {
                    signalGroup(pgid, "KILL");
                }
                process.destroyForcibly();
                tree.forEach(ProcessHandle::destroyForcibly);
            }
            long waitUntil = System.nanoTime() + GRACE.toNanos();
            while (process.isAlive() && System.nanoTime() < waitUntil) {
                interrupted |= pause(20);
            }
        } finally {
            if (interrupted || Thread.interrupted()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean alive(Process process, List<ProcessHandle> tree, boolean ownGroup, long pgid) {
        if (process.isAlive() || tree.stream().anyMatch(ProcessHandle::isAlive)) {
            return true;
        }
        return ownGroup && signalGroup(pgid, "0");
    }

    /** True when the signal was delivered, i.e. the group still has members. */
    private static boolean signalGroup(long pgid, String signal) {
        // the shell builtin takes a negative pid as a process group; Java has no API for that
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "kill -s " + signal + " -- -" + pgid + " 2>/dev/null");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        boolean interrupted = Thread.interrupted();
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            // uninterruptible on purpose: a kill that is itself interrupted would leave the tree running
            while (true) {
                try {
                    return p.waitFor() == 0;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (IOException e) {
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Sleeps; returns true when interrupted (the flag is left clear). */
    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    private static Optional<String> findSetsid() {
        for (String p : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(p))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
