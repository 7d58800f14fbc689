package dev.opsctl.target.ssh;

import dev.opsctl.target.TargetException;

/**
 * Clean-up after a failed call: tried even when the caller was interrupted (the interrupt is kept
 * for it), and its own failure is dropped, since the call's error is what the caller must see.
 * Tried a second time when the connection turns out to be lost: a connection that just broke can
 * still look alive to the first call after it, which fails and lets it go; the second opens a new one.
 */
final class BestEffort {
    private BestEffort() {}

    interface Work {
        Object run() throws TargetException, InterruptedException;
    }

    static void run(Work work) {
        boolean interrupted = Thread.interrupted();
        try {
            try {
                work.run();
            } catch (TargetException e) {
                if (e.kind() != TargetException.Kind.CONNECTION_LOST) {
                    throw e;
                }
                work.run();
            }
        } catch (TargetException | InterruptedException | RuntimeException e) {
            // nothing more to try: a host that cannot be reached keeps the file until its next clean-up
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
