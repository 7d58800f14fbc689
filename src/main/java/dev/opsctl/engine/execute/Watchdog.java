package dev.opsctl.engine.execute;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enforces step timeouts from outside the step: interrupts the step's thread when its time is up,
 * in case the step does not stop by itself. One daemon thread per run.
 */
final class Watchdog implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "opsctl-step-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** Arms a watch for the current thread; close it when the step returns. */
    Watch arm(Duration after) {
        Watch w = new Watch(Thread.currentThread());
        ScheduledFuture<?> f = timer.schedule(w::fire, Math.max(1, after.toMillis()), TimeUnit.MILLISECONDS);
        w.cancel = () -> f.cancel(false);
        return w;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    static final class Watch implements AutoCloseable {
        private final Thread thread;
        private Runnable cancel = () -> {};
        private boolean fired;
        private boolean closed;

        private Watch(Thread thread) {
            this.thread = thread;
        }

        private synchronized void fire() {
            if (!closed) {
                fired = true;
                thread.interrupt();
            }
        }

        synchronized boolean fired() {
            return fired;
        }

        /** After this returns the thread is never interrupted by this watch, and a pending interrupt of it is cleared. */
        @Override
        public synchronized void close() {
            closed = true;
            cancel.run();
            if (fired) {
                Thread.interrupted();
            }
        }
    }

    /** A watch that never fires, for steps without a timeout. */
    static Watch none() {
        return new Watch(Thread.currentThread());
    }
}
