package dev.opsctl.target.ssh;

import dev.opsctl.target.TargetException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The file a write uploads before it replaces the destination (beside it, or in /tmp for sudo):
 * removed, as the login user, when the write fails, and what a lost connection's failure says of the
 * destination and of that file: "'/etc/app.conf' was not replaced; the partial upload was removed",
 * or the path of the upload left on the host when no new connection could remove it.
 */
final class PartialUpload {
    /** What removing it found: it was there and is gone, it was not there, or why it could not be removed. */
    record Removal(boolean wasThere, Optional<String> failure) {}

    private final SshTarget target;
    private final String path;

    PartialUpload(SshTarget target, String path) {
        this.target = target;
        this.path = path;
    }

    String path() {
        return path;
    }

    /** Removes it, best effort ({@link BestEffort}: a second call when the first finds the connection lost). */
    Removal remove() {
        AtomicBoolean wasThere = new AtomicBoolean();
        Optional<String> failure = BestEffort.run(() -> target.sftp("removing '" + path + "'", sftp -> {
            if (sftp.statExistence(path) != null) {
                sftp.rm(path);
                wasThere.set(true);
            }
            return null;
        }));
        return new Removal(wasThere.get(), failure);
    }

    /**
     * {@code lost} (the connection broke while uploading to {@code dest}) after the upload was
     * removed or not: what became of {@code dest} and of the upload. {@code renaming}: the rename
     * over {@code dest} had been asked for, so only the upload still there says it did not happen.
     */
    TargetException lost(TargetException lost, String dest, boolean renaming) {
        Removal r = remove();
        String words;
        if (r.failure().isPresent()) {
            words = (renaming ? "; '" + dest + "' may or may not have been replaced" : "; '" + dest + "' was not replaced")
                    + "; the partial upload '" + path + "' is left on the host: " + r.failure().get();
        } else if (renaming && !r.wasThere()) {
            words = "; '" + dest + "' was replaced (the rename went through before the connection broke)";
        } else {
            words = "; '" + dest + "' was not replaced" + (r.wasThere() ? "; the partial upload was removed" : "");
        }
        // nothing of an SFTP write runs on once its session is gone: only a rename that may or may not have happened is unknown
        TargetException.LostCommand state = renaming && r.failure().isPresent() ? TargetException.LostCommand.MAY_STILL_RUN
                : TargetException.LostCommand.STOPPED;
        return new TargetException(lost.kind(), lost.host(), lost.getMessage() + words, lost.getCause()).withLostCommand(state);
    }
}
