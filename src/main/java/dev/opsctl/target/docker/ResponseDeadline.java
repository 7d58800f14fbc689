package dev.opsctl.target.docker;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Ends a request/response call its daemon leaves unanswered. docker-java's response timeout never fires on a unix
 * socket: its socket reads through a JDK {@code SocketChannel} stream, which ignores {@code SO_TIMEOUT}, so a daemon
 * that went silent (hung, SIGSTOPped) held the call for ever. Such a read does end when its thread is interrupted
 * (the channel is closed under it): the deadline interrupts the calling thread once, and says so. Thread-safe.
 */
final class ResponseDeadline {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final Thread caller;
    private final ScheduledFuture<?> timer;
    private boolean passed;
    private boolean disarmed;

    private ResponseDeadline(Duration limit) {
        this.caller = Thread.currentThread();
        this.timer = TIMER.schedule(this::pass, limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "opsctl-docker-response-deadline");
            thread.setDaemon(true);
            return thread;
        });
        // every answered call cancels its deadline: without this each would wait in the queue its whole 60 s
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** A deadline {@code limit} from now for the calling thread's call. */
    static ResponseDeadline arm(Duration limit) {
        return new ResponseDeadline(limit);
    }

    /** How many deadlines are armed (for tests). */
    static int armed() {
        return TIMER.getQueue().size();
    }

    private synchronized void pass() {
        if (!disarmed) {
            passed = true;
            caller.interrupt();
        }
    }

    /** Ends the deadline (call it on the calling thread); true when it passed, its interrupt then cleared. */
    synchronized boolean disarm() {
        disarmed = true;
        timer.cancel(false);
        if (passed) {
            Thread.interrupted();
        }
        return passed;
    }
}
