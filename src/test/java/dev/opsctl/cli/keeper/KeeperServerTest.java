package dev.opsctl.cli.keeper;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client and keeper in one process, over a real Unix socket. */
class KeeperServerTest {
    @TempDir
    Path tmp;

    private KeeperPlace place;

    @BeforeEach
    void place() throws Exception {
        place = KeeperPlace.at(tmp.resolve("k"), "test");
    }

    private static KeeperWire.Request request(String... args) {
        return new KeeperWire.Request(List.of(args), Map.of("A", "b"), Path.of("/work/dir"), Duration.ofSeconds(1));
    }

    /** A keeper serving in the background until idle for {@code keep}. */
    private CompletableFuture<Boolean> serve(KeeperServer.Runner runner, Duration keep) throws Exception {
        return serve(new KeeperServer(place, runner, keep));
    }

    private CompletableFuture<Boolean> serve(KeeperServer server) throws Exception {
        CompletableFuture<Boolean> served = CompletableFuture.supplyAsync(() -> {
            try {
                return server.serve();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!listening() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return served;
    }

    /** The socket file appears at bind, a moment before listen: probe with a connection that sends nothing. */
    private boolean listening() {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(place.socket()))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private KeeperClient client() {
        return new KeeperClient(place, List.of("false"));
    }

    @Test
    void outputAndExitCodeComeBackInOrderAndTheRequestArrivesWhole() throws Exception {
        KeeperWire.Request[] seen = new KeeperWire.Request[1];
        serve(new Runner() {
            @Override
            public int run(KeeperWire.Request r, PrintStream out, PrintStream err) {
                seen[0] = r;
                out.println("one 日本語");
                err.println("warn");
                out.print("two");
                return 7;
            }
        }, Duration.ofSeconds(30));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(7, client().run(request("exec", "--", "echo 'x y'"), out, err));
        assertEquals("one 日本語\ntwo", out.toString(UTF_8));
        assertEquals("warn\n", err.toString(UTF_8));
        assertEquals(request("exec", "--", "echo 'x y'"), seen[0]);
    }

    @Test
    void aClientThatGoesAwayInterruptsItsCommand() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        serve(new Runner() {
            @Override
            public int run(KeeperWire.Request r, PrintStream out, PrintStream err) {
                running.countDown();
                try {
                    Thread.sleep(30_000);
                    interrupted.complete(false);
                } catch (InterruptedException e) {
                    interrupted.complete(true);
                }
                return 0;
            }
        }, Duration.ofSeconds(30));
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(place.socket()))) {
            KeeperWire.write(new java.io.DataOutputStream(KeeperWire.output(c)), request("exec"));
            assertEquals(KeeperWire.ACCEPTED, KeeperWire.readFrame(new DataInputStream(KeeperWire.input(c))).kind());
            assertTrue(running.await(10, TimeUnit.SECONDS));
        }
        assertTrue(interrupted.get(10, TimeUnit.SECONDS), "the command's thread was interrupted");
    }

    @Test
    void aSecondKeeperForThePlaceLeavesAtOnceAndTheFirstLeavesWhenIdle() throws Exception {
        CompletableFuture<Boolean> first = serve(new Runner(), Duration.ofMillis(700));
        assertFalse(new KeeperServer(place, new Runner(), Duration.ofSeconds(30)).serve(), "the place is held");
        assertEquals(0, client().run(request("exec"), OutputStreamsNull.OUT, OutputStreamsNull.OUT));
        assertTrue(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> first.get()));
        assertFalse(Files.exists(place.socket()));
        assertEquals(ProcessHandle.current().pid() + "", Files.readString(place.lock()).trim());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(place.lock())));
    }

    @Test
    void aConnectionThatSendsNoRequestIsClosedAndTheKeeperStillLeavesWhenIdle() throws Exception {
        CompletableFuture<Boolean> served = serve(new KeeperServer(place, new Runner(), Duration.ofSeconds(1), Duration.ofMillis(500)));
        try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(place.socket()))) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            assertEquals(-1, assertTimeoutPreemptively(Duration.ofSeconds(10), () -> silent.read(b)), "closed by the keeper");
        }
        assertTrue(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> served.get()));
    }

    @Test
    void outputTheClientDoesNotReadHoldsTheCommandBackInsteadOfPilingUp() throws Exception {
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        CountDownLatch finished = new CountDownLatch(1);
        serve(new Runner() {
            @Override
            public int run(KeeperWire.Request r, PrintStream out, PrintStream err) {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 512; i++) { // 32 MiB
                    out.write(chunk, 0, chunk.length);
                    written.addAndGet(chunk.length);
                }
                out.flush();
                finished.countDown();
                return 0;
            }
        }, Duration.ofSeconds(30));
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(place.socket()))) {
            KeeperWire.write(new java.io.DataOutputStream(KeeperWire.output(c)), request("exec"));
            assertFalse(finished.await(2, TimeUnit.SECONDS), "the command waits for the client");
            long held = written.get();
            assertTrue(held < 12L << 20, "at most the unsent budget plus socket buffers: " + held);
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(KeeperWire.input(c)));
            long received = 0;
            KeeperWire.Frame f;
            while ((f = KeeperWire.readFrame(in)).kind() != KeeperWire.EXIT) {
                received += f.kind() == KeeperWire.OUT ? f.payload().length : 0;
            }
            assertEquals(32L << 20, received);
            assertTrue(finished.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aKeeperThatFailsToStartIsReportedWithItsLogAndNothingRan() {
        KeeperUnavailable e = assertThrows(KeeperUnavailable.class,
                () -> client().run(request("exec"), OutputStreamsNull.OUT, OutputStreamsNull.OUT));
        assertTrue(e.getMessage().contains("the keeper failed to start (exit 1): see " + place.log()), e.getMessage());
    }

    @Test
    void aKeeperThatEndsAfterTakingTheCommandIsLostNotRetried() throws Exception {
        try (ServerSocketChannel fake = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            fake.bind(UnixDomainSocketAddress.of(place.socket()));
            CompletableFuture.runAsync(() -> {
                try (SocketChannel c = fake.accept()) {
                    KeeperWire.read(new DataInputStream(KeeperWire.input(c)));
                    KeeperWire.output(c).write(KeeperWire.frame(KeeperWire.ACCEPTED, new byte[0], 0, 0));
                    KeeperWire.output(c).write(KeeperWire.frame(KeeperWire.OUT, "part".getBytes(UTF_8), 0, 4));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            KeeperClient.KeeperLost e = assertThrows(KeeperClient.KeeperLost.class, () -> client().run(request("exec"), out, out));
            assertTrue(e.getMessage().contains("the keeper ended before the command finished"), e.getMessage());
            assertEquals("part", out.toString(UTF_8));
        }
    }

    @Test
    void placesOthersCouldReachAreRefused() throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwx-----x"));
        assertTrue(assertThrows(KeeperUnavailable.class, () -> KeeperPlace.at(open, "b")).getMessage().contains("mode 701"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), place.dir());
        assertTrue(assertThrows(KeeperUnavailable.class, () -> KeeperPlace.at(link, "b")).getMessage().contains("symbolic link"));
        Path deep = tmp.resolve("x".repeat(120));
        assertTrue(assertThrows(KeeperUnavailable.class, () -> KeeperPlace.at(deep, "b")).getMessage()
                .contains("longer than a Unix socket allows"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(place.dir())));
    }

    @Test
    void aRuntimeDirectoryThatIsNotThisUsersAloneIsNotUsed() throws Exception {
        Path runtime = Files.createDirectory(tmp.resolve("xdg"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        assertEquals(runtime.resolve("opsctl"), KeeperPlace.defaultDir(Map.of("XDG_RUNTIME_DIR", runtime.toString())));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(Path.of("/tmp/opsctl-" + KeeperPlace.ownUid()), KeeperPlace.defaultDir(Map.of("XDG_RUNTIME_DIR", runtime.toString())));
        assertEquals(Path.of("/tmp/opsctl-" + KeeperPlace.ownUid()), KeeperPlace.defaultDir(Map.of("XDG_RUNTIME_DIR", "relative")));
    }

    @Test
    void theBuildChangesWithTheClassPathFiles() throws Exception {
        Path jar = Files.writeString(tmp.resolve("a.jar"), "one");
        String before = KeeperPlace.buildOf("/jdk", jar.toString());
        assertEquals(before, KeeperPlace.buildOf("/jdk", jar.toString()));
        Files.writeString(jar, "two and more");
        assertFalse(before.equals(KeeperPlace.buildOf("/jdk", jar.toString())));
        assertFalse(before.equals(KeeperPlace.buildOf("/other-jdk", jar.toString())));
    }

    private static class Runner implements KeeperServer.Runner {
        @Override
        public int run(KeeperWire.Request request, PrintStream out, PrintStream err) {
            return 0;
        }

        @Override
        public void stop() {}
    }

    private static final class OutputStreamsNull {
        static final java.io.OutputStream OUT = java.io.OutputStream.nullOutputStream();
    }
}
