package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A file read cut short by a broken connection (a copy or template step reads the file it may
 * replace first): nothing of it goes on on the host, so it must not count as a command that may
 * still run, for which the engine halts the rollout (exit 4) and says so.
 */
class LostReadIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.101");

    private Path dir;

    @AfterEach
    void cleanUp() throws Exception {
        SSHD.killConnectionProcesses();
        if (dir != null) {
            dev.opsctl.testsupport.TestDirs.delete(dir);
        }
    }

    @Test
    void aReadCutShortLeavesNothingRunning() throws Exception {
        dir = Path.of("/tmp", "opsctl-lost-read-" + System.nanoTime());
        Path file = dir.resolve("app.bin");
        try (SshTarget t = SSHD.target()) {
            t.exec(ExecRequest.of("mkdir " + dir + " && truncate -s 1G " + file));
            FutureTask<Object> run = new FutureTask<>(() -> t.get(file.toString(), Sudo.NONE));
            new Thread(run, "lost-read-get").start();
            long until = System.nanoTime() + 20_000_000_000L;
            while (readSoFar(file) < 8 << 20 && System.nanoTime() < until) {
                Thread.sleep(2);
            }
            assertTrue(readSoFar(file) >= 8 << 20, "the read is under way");
            SSHD.killConnectionProcesses();
            ExecutionException failed = assertThrows(ExecutionException.class, () -> run.get(30, TimeUnit.SECONDS));
            TargetException e = assertInstanceOf(TargetException.class, failed.getCause());
            assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("' broke while reading '" + file + "' ("), e.getMessage());
            assertEquals(TargetException.LostCommand.STOPPED, e.lostCommand(), e.getMessage());
        }
    }

    /** How far a process on this host (the sftp-server) has read {@code file}: its offset there, 0 when none has it open. */
    private static long readSoFar(Path file) {
        long most = 0;
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            Path fds = Path.of("/proc", String.valueOf(p.pid()), "fd");
            try (Stream<Path> open = Files.list(fds)) {
                for (Path fd : open.toList()) {
                    if (Files.readSymbolicLink(fd).equals(file)) {
                        String info = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "fdinfo", fd.getFileName().toString()));
                        most = Math.max(most, Long.parseLong(info.lines().filter(l -> l.startsWith("pos:")).findFirst()
                                .orElse("pos: 0").substring(4).strip()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone meanwhile, or not ours to read
            }
        }
        return most;
    }
}
