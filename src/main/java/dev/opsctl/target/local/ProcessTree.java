package dev.opsctl.target.local;

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

    /**
     * TERM to the group (or the tree), then KILL after {@link #GRACE} for whatever is left; returns
     * what is left then. GONE where {@code group} {@linkplain GroupKill#reachesAll reaches all} of the
     * command (its KILL cannot miss); else THERE or GONE as the group says, or, where it cannot tell,
     * THERE while a process of the tree lives and UNKNOWN when none does. Never throws.
     */
    static GroupKill.Left kill(Process process, boolean ownGroup, GroupKill group) {
        // an interrupted caller still needs the tree gone: clear the flag while killing, restore it after
        boolean interrupted = Thread.interrupted();
        try {
            long pgid = process.pid();
            List<ProcessHandle> tree = process.descendants().toList();
            if (ownGroup) {
                group.signal("TERM", pgid);
            }
            process.destroy();
            tree.forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + GRACE.toNanos();
            while (System.nanoTime() < deadline && alive(process, tree, ownGroup, group, pgid)) {
                interrupted |= pause(50);
            }
            if (alive(process, tree, ownGroup, group, pgid)) {
                if (ownGroup) {
                    group.signal("KILL", pgid);
                }
                process.destroyForcibly();
                tree.forEach(ProcessHandle::destroyForcibly);
            }
            long waitUntil = System.nanoTime() + GRACE.toNanos();
            while (process.isAlive() && System.nanoTime() < waitUntil) {
                interrupted |= pause(20);
            }
            return group.reachesAll() ? GroupKill.Left.GONE : left(process, tree, ownGroup, group, pgid);
        } finally {
            if (interrupted || Thread.interrupted()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean alive(Process process, List<ProcessHandle> tree, boolean ownGroup, GroupKill group, long pgid) {
        if (process.isAlive() || tree.stream().anyMatch(ProcessHandle::isAlive)) {
            return true;
        }
        return ownGroup && group.signal("0", pgid) == GroupKill.Left.THERE;
    }

    /** The group's answer before the tree's: ProcessHandle counts a zombie as alive. */
    private static GroupKill.Left left(Process process, List<ProcessHandle> tree, boolean ownGroup, GroupKill group, long pgid) {
        if (process.isAlive()) {
            return GroupKill.Left.THERE;
        }
        GroupKill.Left left = ownGroup ? group.signal("0", pgid) : GroupKill.Left.UNKNOWN;
        if (left != GroupKill.Left.UNKNOWN) {
            return left;
        }
        return tree.stream().anyMatch(ProcessHandle::isAlive) ? GroupKill.Left.THERE : GroupKill.Left.UNKNOWN;
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
