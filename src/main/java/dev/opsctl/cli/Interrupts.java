package dev.opsctl.cli;

import dev.opsctl.app.OpsctlException;
import dev.opsctl.engine.execute.StopSignal;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C during a run: the JVM's shutdown hook asks the run to stop (running steps are interrupted,
 * nothing new starts) and waits a little for it to journal where it stopped. The process then
 * exits 130 as any SIGINT'd process does. Inside {@code opsctl shell} the shell owns Ctrl-C: the run
 * uses the shell's stop for that line and no hook is installed, so the shell lives on.
 */
final class Interrupts {
    private static final long GRACE_SECONDS = 10;

    @FunctionalInterface
    interface Body {
        int run(StopSignal stop) throws OpsctlException;
    }

    private Interrupts() {}

    static int around(CliEnv env, Body body) throws OpsctlException {
        if (env.stop().isPresent()) {
            return body.run(env.stop().get().get());
        }
        StopSignal stop = new StopSignal();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.request();
            try {
                done.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "opsctl-interrupt");
        boolean installed = install(hook);
        try {
            return body.run(stop);
        } finally {
            done.countDown();
            if (installed) {
                uninstall(hook);
            }
        }
    }

    private static boolean install(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException e) {
            return false; // already shutting down: the run will see the stop at its first step
        }
    }

    private static void uninstall(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook is running or ran; nothing to undo
        }
    }
}
