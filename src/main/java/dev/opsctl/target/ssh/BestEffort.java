package dev.opsctl.target.ssh;

import dev.opsctl.target.TargetException;
import java.util.Optional;

/**
 * Clean-up after a failed call: tried even when the caller was interrupted (the interrupt is kept
 * for it), and its own failure is not thrown, since the call's error is what the caller must see;
 * it is returned, for that error to name what was left behind. Tried a second time when the
 * connection turns out to be lost: a connection that just broke can still look alive to the first
 * call after it, which fails and lets it go; the second opens a new one.
 */
final class BestEffort {
    private BestEffort() {}

    interface Work {
        Object run() throws TargetException, InterruptedException;
    }

    /** Empty when {@code work} ran; else why not, in words: "could not reconnect (connection refused by ...)". */
    static Optional<String> run(Work work) {
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
            return Optional.empty();
        } catch (TargetException e) {
            return Optional.of(e.unreachable() ? "could not reconnect (" + SshErrors.why(e) + ")" : SshErrors.why(e));
        } catch (InterruptedException e) {
            return Optional.of("interrupted");
        } catch (RuntimeException e) {
            return Optional.of(String.valueOf(e));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
