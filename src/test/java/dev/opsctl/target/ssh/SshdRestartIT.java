package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.TargetException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sshd restarted under opsctl (a runbook's 'systemctl restart ssh', a package upgrade): its listener
 * and its connections' processes gone, a new listener a moment later. A host opsctl was connected to
 * is tried again for {@link Reconnection#WINDOW}; a first connection is not.
 */
class SshdRestartIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.196");

    private Path pidFile;

    @AfterEach
    void cleanUp() throws Exception {
        if (pidFile != null && Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroyForcibly);
            Files.delete(pidFile);
        }
    }

    /** sshd killed now, a new listener {@code after} later, on another thread. */
    private static Thread restartAfter(Duration after) {
        SSHD.killSshdLeavingCommands();
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(after.toMillis());
                SSHD.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "sshd-restart");
        t.start();
        return t;
    }

    private FutureTask<Object> started(SshTarget t) throws Exception {
        pidFile = Path.of("/tmp", "opsctl-restart-" + System.nanoTime() + ".pid");
        CountDownLatch started = new CountDownLatch(1);
        FutureTask<Object> run = new FutureTask<>(() -> t.exec(ExecRequest.of("sleep 300 & echo $! > " + pidFile + "; echo started; wait")
                .withSudo(Sudo.ROOT).withListener((stream, line) -> {
                    if (line.equals("started")) {
                        started.countDown();
                    }
                })));
        new Thread(run, "restart-exec").start();
        assertTrue(started.await(20, TimeUnit.SECONDS), "the command started");
        Thread.sleep(300); // its group line is read by then
        return run;
    }

    private static TargetException failure(FutureTask<Object> run) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof TargetException, String.valueOf(e.getCause()));
        return (TargetException) e.getCause();
    }

    private long pid() throws Exception {
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    @Test
    void aCommandWhoseSshdRestartsUnderItIsStoppedFromTheNewSshdAndTheTargetGoesOn() throws Exception {
        try (SshTarget t = SSHD.target()) {
            FutureTask<Object> run = started(t);
            Thread restart = restartAfter(Duration.ofMillis(1500));
            TargetException e;
            try {
                e = failure(run);
            } finally {
                restart.join();
            }
            assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
            assertTrue(e.getMessage().endsWith("; opsctl reconnected and stopped it (TERM)"), e.getMessage());
            assertEquals(TargetException.LostCommand.STOPPED, e.lostCommand(), e.getMessage());
            assertFalse(OpenSshServer.alive(pid()), "the root command outlived its connection");
            assertEquals("ok\n", t.exec(ExecRequest.of("echo ok")).stdout(), "the next command runs on the new connection");
        }
    }

    @Test
    void theNextCommandAfterSshdRestartedBetweenTwoCommandsRuns() throws Exception {
        try (SshTarget t = SSHD.target()) {
            assertEquals("one\n", t.exec(ExecRequest.of("echo one")).stdout());
            Thread restart = restartAfter(Duration.ofMillis(1500));
            long t0 = System.nanoTime();
            try {
                assertEquals("two\n", t.exec(ExecRequest.of("echo two")).stdout(), "run once the new sshd listens");
            } finally {
                restart.join();
            }
            assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(1400).toNanos(), "not before the new sshd listened");
        }
    }

    @Test
    void aHostWhoseSshdDoesNotComeBackFailsTheCommandWithinTheBoundSayingItMayStillRun() throws Exception {
        try (SshTarget t = SSHD.target()) {
            FutureTask<Object> run = started(t);
            long t0 = System.nanoTime();
            SSHD.killSshdLeavingCommands();
            TargetException e = failure(run);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
            assertEquals(TargetException.LostCommand.MAY_STILL_RUN, e.lostCommand(), e.getMessage());
            assertTrue(e.getMessage().matches(".*; it may still be running on the host: could not reconnect \\(connection refused by '127\\.0\\.1\\.196:"
                    + SSHD.port() + "' \\(is sshd running on port " + SSHD.port() + "\\?\\); \\d+ attempts in \\d+s\\)"), e.getMessage());
            // the last attempt is the last one whose pause before it (2 s at most) still fits in the window
            assertTrue(took.compareTo(Reconnection.WINDOW.minusSeconds(2)) >= 0 && took.compareTo(Reconnection.WINDOW.plusSeconds(3)) < 0,
                    "tried for the window, not longer: " + took);
            assertTrue(OpenSshServer.alive(pid()), "nothing could stop it");
        } finally {
            SSHD.start();
        }
    }

    @Test
    void aFirstConnectionToAPortWithNothingListeningFailsAtOnce() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(SSHD.address()))) {
            closedPort = s.getLocalPort();
        }
        SshSettings s = SSHD.settings();
        SshSettings closed = new SshSettings(s.name(), s.hostName(), closedPort, s.user(), s.identityFiles(), false, s.agentSocket(),
                java.util.List.of(), s.knownHostsFiles(), false, s.connectTimeout(), s.serverAliveInterval(), s.passphrases());
        try (SshTarget t = new SshTarget(closed, SSHD.dir())) {
            long t0 = System.nanoTime();
            TargetException e = assertThrows(TargetException.class, () -> t.exec(ExecRequest.of("true")));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertEquals(TargetException.Kind.UNREACHABLE, e.kind(), e.getMessage());
            assertTrue(e.getMessage().endsWith("connection refused by '127.0.1.196:" + closedPort + "' (is sshd running on port "
                    + closedPort + "?)"), e.getMessage());
            assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "not tried again: " + took);
        }
    }
}
