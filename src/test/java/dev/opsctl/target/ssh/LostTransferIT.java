package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A file write cut short by a broken connection: what the failure says of the destination and of what is left. */
class LostTransferIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.99");

    private static final byte[] BIG = new byte[128 * 1024 * 1024];
    private Path dir;
    /** The partial upload of the last {@link #uploading}. */
    private static final java.util.List<Path> uploads = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        SSHD.killConnectionProcesses();
        if (dir != null) {
            dev.opsctl.testsupport.TestDirs.delete(dir);
        }
    }

    private Path dirOfTheLoginUser() throws Exception {
        dir = Path.of("/tmp", "opsctl-lost-xfer-" + System.nanoTime());
        try (SshTarget t = SSHD.target()) {
            t.exec(ExecRequest.of("mkdir " + dir));
        }
        return dir;
    }

    /** Starts {@code put} on another thread; returns once a file matching {@code glob} in {@code where} holds 4 MiB. */
    private static FutureTask<Object> uploading(SshTarget t, String path, FileAttrs attrs, Path where, String glob) throws Exception {
        java.util.Set<Path> before;
        try (Stream<Path> s = Files.list(where)) {
            before = s.collect(java.util.stream.Collectors.toSet());
        }
        FutureTask<Object> run = new FutureTask<>(() -> {
            t.put(path, BIG, attrs);
            return null;
        });
        new Thread(run, "lost-transfer-put").start();
        long until = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < until) {
            Optional<Path> p = partial(where, glob, before);
            if (p.isPresent() && size(p.get()) > 4 << 20) {
                uploads.add(p.get());
                return run;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no upload under way in " + where);
    }

    private static Optional<Path> partial(Path where, String glob, java.util.Set<Path> besides) throws IOException {
        try (Stream<Path> s = Files.list(where)) {
            return s.filter(f -> !besides.contains(f) && f.getFileSystem().getPathMatcher("glob:" + glob).matches(f.getFileName()))
                    .findFirst();
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    private static TargetException lost(FutureTask<Object> run) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof TargetException, String.valueOf(e.getCause()));
        TargetException t = (TargetException) e.getCause();
        assertEquals(TargetException.Kind.CONNECTION_LOST, t.kind(), t.getMessage());
        return t;
    }

    @Test
    void aWriteCutShortSaysTheDestinationWasNotReplacedAndThePartialUploadRemoved() throws Exception {
        Path d = dirOfTheLoginUser();
        String dest = d + "/app.bin";
        try (SshTarget t = SSHD.target()) {
            t.put(dest, "v1\n".getBytes(), FileAttrs.DEFAULT);
            FutureTask<Object> run = uploading(t, dest, FileAttrs.DEFAULT, d, ".app.bin.opsctl-*");
            SSHD.killConnectionProcesses();
            TargetException e = lost(run);
            assertTrue(e.getMessage().startsWith("host '127.0.1.99': the ssh connection to '127.0.1.99:" + SSHD.port()
                    + "' broke while writing '" + dest + "' ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("; '" + dest + "' was not replaced; the partial upload was removed"), e.getMessage());
            assertTrue(partial(d, ".app.bin.opsctl-*", java.util.Set.of()).isEmpty(), "the partial upload is gone");
            assertArrayEquals("v1\n".getBytes(), Files.readAllBytes(Path.of(dest)));
            assertEquals(TargetException.LostCommand.STOPPED, e.lostCommand(), "nothing of the write runs on");
        }
    }

    /** The review's case: sshd gone altogether, the clean-up could not run, and a 19.5 MB upload was left unnamed. */
    @Test
    void aWriteWithSudoCutShortWhenNoNewConnectionCanBeMadeNamesTheUploadLeftOnTheHost() throws Exception {
        Path d = dirOfTheLoginUser();
        String dest = d + "/app.bin";
        try (SshTarget t = SSHD.target()) {
            FileAttrs sudo = new FileAttrs(Optional.empty(), Optional.empty(), Optional.empty(), Sudo.ROOT);
            FutureTask<Object> run = uploading(t, dest, sudo, Path.of("/tmp"), ".opsctl-upload.*");
            Path upload = uploads.get(uploads.size() - 1);
            try {
                SSHD.killSshdLeavingCommands();
                TargetException e = lost(run);
                assertTrue(e.getMessage().contains("' broke while writing '" + dest + "' with sudo ("), e.getMessage());
                assertTrue(e.getMessage().matches(".*" + java.util.regex.Pattern.quote("; '" + dest + "' was not replaced; the partial upload '"
                        + upload + "' is left on the host: could not reconnect (connection refused by '127.0.1.99:" + SSHD.port()
                        + "' (is sshd running on port " + SSHD.port() + "?); ") + "\\d+ attempts in \\d+s\\)"), e.getMessage());
                assertTrue(Files.exists(upload));
                assertTrue(Files.notExists(Path.of(dest)));
            } finally {
                Files.deleteIfExists(upload);
                SSHD.start();
            }
        }
    }

    @Test
    void aWriteWithSudoCutShortDuringTheUploadRemovesIt() throws Exception {
        Path d = dirOfTheLoginUser();
        String dest = d + "/app.bin";
        try (SshTarget t = SSHD.target()) {
            FileAttrs sudo = new FileAttrs(Optional.empty(), Optional.empty(), Optional.empty(), Sudo.ROOT);
            FutureTask<Object> run = uploading(t, dest, sudo, Path.of("/tmp"), ".opsctl-upload.*");
            Path upload = uploads.get(uploads.size() - 1);
            SSHD.killConnectionProcesses();
            TargetException e = lost(run);
            assertTrue(e.getMessage().endsWith("; '" + dest + "' was not replaced; the partial upload was removed"), e.getMessage());
            assertTrue(Files.notExists(upload), upload + " is left");
        }
    }
}
