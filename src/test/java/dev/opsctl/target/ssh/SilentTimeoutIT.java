package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.Sudo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A command that times out on a host gone silent (its sshd child frozen, new connections still
 * work, or not): the timeout returns in time, and says whether the command was stopped.
 */
class SilentTimeoutIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.98");

    private Path pidFile;

    @AfterEach
    void cleanUp() throws Exception {
        SSHD.killConnectionProcesses();
        if (pidFile != null && Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroyForcibly);
            Files.delete(pidFile);
        }
    }

    private record Timed(ExecResult result, Throwable failure, double seconds) {}

    /**
     * Runs a 3 s sudo command that writes its child's pid, freezes sshd's connection processes once it
     * started, and interrupts the call at 8 s, as the engine's watchdog does (the step's timeout plus 5 s).
     */
    private Timed timeOutOnASilentHost(Runnable alsoOnceStarted) throws Exception {
        pidFile = Path.of("/tmp", "opsctl-silent-" + System.nanoTime() + ".pid");
        CountDownLatch started = new CountDownLatch(1);
        try (SshTarget t = SSHD.target()) {
            ExecRequest r = ExecRequest.of("sleep 300 & echo $! > " + pidFile + "; echo started; wait").withSudo(Sudo.ROOT)
                    .withTimeout(Duration.ofSeconds(3)).withListener((stream, line) -> started.countDown());
            long start = System.nanoTime();
            FutureTask<ExecResult> run = new FutureTask<>(() -> t.exec(r));
            Thread runner = new Thread(run, "silent-timeout-exec");
            runner.start();
            assertTrue(started.await(20, TimeUnit.SECONDS));
            Thread.sleep(300);
            SSHD.freezeConnectionProcesses();
            alsoOnceStarted.run();
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(Math.max(0, 8000 - (System.nanoTime() - start) / 1_000_000));
                    runner.interrupt();
                } catch (InterruptedException e) {
                    // the call ended first
                }
            });
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                ExecResult result = run.get(60, TimeUnit.SECONDS);
                return new Timed(result, null, (System.nanoTime() - start) / 1e9);
            } catch (java.util.concurrent.ExecutionException e) {
                return new Timed(null, e.getCause(), (System.nanoTime() - start) / 1e9);
            } finally {
                watchdog.interrupt();
            }
        }
    }

    private long pid() throws Exception {
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    @Test
    void aTimeoutOnASilentHostReturnsBeforeTheWatchdogAndStopsTheCommandFromANewConnection() throws Exception {
        Timed t = timeOutOnASilentHost(() -> {});
        assertTrue(t.failure() == null, "no exception: " + t.failure());
        assertTrue(t.result().timedOut());
        assertTrue(t.seconds() < 7.5, "returned in " + t.seconds() + " s");
        assertFalse(t.result().leftRunning(), "stopped from a new connection");
        long until = System.nanoTime() + 2_000_000_000L;
        while (OpenSshServer.alive(pid()) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertFalse(OpenSshServer.alive(pid()), "the root command outlived its timeout");
    }

    @Test
    void aTimeoutOnAHostThatCannotBeReachedAgainSaysTheCommandMayStillBeRunning() throws Exception {
        try {
            Timed t = timeOutOnASilentHost(SSHD::killListenerOnly);
            assertTrue(t.failure() == null, "no exception: " + t.failure());
            assertTrue(t.result().timedOut());
            // a host that refuses is tried again (sshd may be restarting) until the watchdog's interrupt at 8 s
            assertTrue(t.seconds() < 9, "returned in " + t.seconds() + " s");
            assertTrue(t.result().leftRunning(), "nothing could stop it");
            String words = t.result().stoppedOrNot();
            assertTrue(words.matches(java.util.regex.Pattern.quote("the ssh connection to '127.0.1.98:" + SSHD.port()
                    + "' stopped answering, so opsctl could not stop it there; it may still be running on the host: could not reconnect"
                    + " (connection refused by '127.0.1.98:" + SSHD.port() + "' (is sshd running on port " + SSHD.port() + "?); ")
                    + "\\d+ attempts in \\ds\\)"), "not that TERM and KILL were sent, nor only that it was interrupted: " + words);
            assertTrue(OpenSshServer.alive(pid()));
        } finally {
            SSHD.start();
        }
    }
}
