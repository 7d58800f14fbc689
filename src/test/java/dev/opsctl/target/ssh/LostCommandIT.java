package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connection that breaks under a command does not end the command on the host: sshd's child is
 * gone, but a command under sudo, or in a group of its own, goes on. opsctl reconnects once and
 * stops it, and says so; or says that it may still be running.
 */
class LostCommandIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.96");

    private final List<Path> files = new java.util.ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        SSHD.killConnectionProcesses(); // the frozen ones too
        for (Path f : files) {
            if (Files.exists(f) && f.getFileName().toString().endsWith(".pid")) {
                ProcessHandle.of(Long.parseLong(Files.readString(f).strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
            Files.deleteIfExists(f);
        }
    }

    private Path file(String name) {
        Path f = Path.of("/tmp", "opsctl-lost-" + System.nanoTime() + "-" + name);
        files.add(f);
        return f;
    }

    /** Runs {@code request} on another thread; returns once it printed 'started' (and a moment more, for its group line). */
    private static FutureTask<Object> started(SshTarget t, ExecRequest request) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        FutureTask<Object> run = new FutureTask<>(() -> t.exec(request.withListener((stream, line) -> {
            if (line.equals("started")) {
                started.countDown();
            }
        })));
        new Thread(run, "lost-command-exec").start();
        assertTrue(started.await(20, TimeUnit.SECONDS), "the command started");
        Thread.sleep(300);
        return run;
    }

    private static TargetException lost(FutureTask<Object> run) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof TargetException, String.valueOf(e.getCause()));
        TargetException t = (TargetException) e.getCause();
        assertEquals(TargetException.Kind.CONNECTION_LOST, t.kind(), t.getMessage());
        return t;
    }

    private static long pid(Path pidFile) throws Exception {
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    private static void assertGone(long pid, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (OpenSshServer.alive(pid) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertFalse(OpenSshServer.alive(pid), what);
    }

    /** The review's case: the command rewrote the file after opsctl (the rollback) had restored it. */
    @Test
    void aCommandUnderSudoLeftRunningByABrokenConnectionIsStoppedFromANewOneBeforeItRewritesTheFile() throws Exception {
        Path conf = file("app.conf");
        try (SshTarget t = SSHD.target()) {
            FutureTask<Object> run = started(t, ExecRequest.of("echo started; echo v2-partial > " + conf + "; sleep 3; echo v2 > " + conf)
                    .withSudo(Sudo.ROOT));
            SSHD.killConnectionProcesses();
            TargetException e = lost(run);
            assertTrue(e.getMessage().startsWith("host '127.0.1.96': the ssh connection to '127.0.1.96:" + SSHD.port()
                    + "' broke while running 'echo started; echo v2-partial > /tmp/"), e.getMessage());
            assertTrue(e.getMessage().endsWith("; opsctl reconnected and stopped it (TERM)"), e.getMessage());
            assertEquals(TargetException.LostCommand.STOPPED, e.lostCommand());
            Files.writeString(conf, "v1\n"); // what a rollback does next
            Thread.sleep(3500);
            assertEquals("v1\n", Files.readString(conf), "the command lived on and rewrote the file");
            assertEquals("ok\n", t.exec(ExecRequest.of("echo ok")).stdout(), "the target goes on, on the new connection");
        }
    }

    /** Not the connection's first command: the login shell, known to be sh, reports the group itself. */
    @Test
    void aPlainLoginsCommandLeftRunningIsStoppedToo() throws Exception {
        Path pid = file("sleep.pid");
        try (SshTarget t = SSHD.target()) {
            t.exec(ExecRequest.of("true"));
            FutureTask<Object> run = started(t, ExecRequest.of("sleep 300 & echo $! > " + pid + "; echo started; wait"));
            SSHD.killConnectionProcesses();
            TargetException e = lost(run);
            assertEquals(TargetException.LostCommand.STOPPED, e.lostCommand(), e.getMessage());
            assertTrue(e.getMessage().endsWith("; opsctl reconnected and stopped it (TERM)"), e.getMessage());
            assertGone(pid(pid), "the login user's command outlived its connection");
        }
    }

    /** A frozen sshd child: keepalives declare the connection dead, the command under it runs on. */
    @Test
    void aCommandOnAConnectionDeclaredDeadByKeepalivesIsStoppedFromANewOne() throws Exception {
        Path pid = file("sleep.pid");
        SshSettings keepalive = SSHD.settingsWithServerAlive(Duration.ofSeconds(1));
        try (SshTarget t = new SshTarget(keepalive, SSHD.dir())) {
            FutureTask<Object> run = started(t, ExecRequest.of("sleep 300 & echo $! > " + pid + "; echo started; wait")
                    .withSudo(Sudo.ROOT));
            SSHD.freezeConnectionProcesses();
            TargetException e = lost(run);
            assertTrue(e.getMessage().contains("(server not responding: 3 keepalives"), e.getMessage());
            assertEquals(TargetException.LostCommand.STOPPED, e.lostCommand(), e.getMessage());
            assertGone(pid(pid), "the root command outlived the connection declared dead");
        }
    }

    @Test
    void whenNoNewConnectionCanBeMadeTheFailureSaysTheCommandMayStillBeRunning() throws Exception {
        Path pid = file("sleep.pid");
        try (SshTarget t = SSHD.target()) {
            FutureTask<Object> run = started(t, ExecRequest.of("sleep 300 & echo $! > " + pid + "; echo started; wait")
                    .withSudo(Sudo.ROOT));
            SSHD.killSshdLeavingCommands();
            TargetException e = lost(run);
            assertEquals(TargetException.LostCommand.MAY_STILL_RUN, e.lostCommand(), e.getMessage());
            assertTrue(e.getMessage().contains("; it may still be running on the host: could not reconnect (connection refused by '127.0.1.96:"),
                    e.getMessage());
            assertTrue(OpenSshServer.alive(pid(pid)), "nothing could stop it");
        } finally {
            SSHD.start();
        }
    }

    /** What a caller says the command does names it in the failure, instead of a generated script's first line. */
    @Test
    void aLostCommandIsDescribedAsItsCallerDescribesIt() throws Exception {
        try (SshTarget t = SSHD.target()) {
            FutureTask<Object> run = started(t, ExecRequest.of("set -eu\nset -- /etc/app\necho started\nsleep 30")
                    .withDescription("backing up '/etc/app'"));
            SSHD.killConnectionProcesses();
            TargetException e = lost(run);
            assertTrue(e.getMessage().contains("' broke while backing up '/etc/app' ("), e.getMessage());
            assertFalse(e.getMessage().contains("set -eu"), e.getMessage());
            assertEquals(TargetException.LostCommand.STOPPED, e.lostCommand(), "a connection's first command reports its group too");
        }
    }

    @Test
    void theProcessGroupLineOfAPlainLoginStaysOutOfTheOutput() throws Exception {
        try (SshTarget t = SSHD.target()) {
            var r = t.exec(ExecRequest.of("echo out; echo err >&2"));
            assertEquals("out\n", r.stdout());
            assertEquals("err\n", r.stderr());
            assertEquals("", t.exec(ExecRequest.of("true")).stderr());
        }
    }
}
