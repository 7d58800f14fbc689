package dev.opsctl.target.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connections kept between commands (the shell's ControlPersist), against a real OpenSSH sshd. */
class KeptConnectionsIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.15");

    @AfterEach
    void stopKeeping() {
        IdleConnections.keep(Duration.ZERO);
        IdleConnections.probeAfter(IdleConnections.PROBE_AFTER);
        assertEquals(0, IdleConnections.count());
    }

    /** The same host as another command would describe it: another name, another passphrase source. */
    private static SshSettings asAnotherCommandSeesIt(SshSettings s, String name) {
        return new SshSettings(name, s.hostName(), s.port(), s.user(), s.identityFiles(), s.useAgent(), s.agentSocket(),
                s.jumps(), s.knownHostsFiles(), s.acceptNewHostKeys(), s.connectTimeout(), s.serverAliveInterval(),
                file -> Optional.empty());
    }

    private static String whoami(SshSettings s) throws Exception {
        try (SshTarget t = new SshTarget(s, SSHD.dir())) {
            return t.exec(ExecRequest.of("whoami")).stdout().strip();
        }
    }

    @Test
    void offByDefaultEveryCommandConnectsAndClosesItsConnection() throws Exception {
        long logins = SSHD.acceptedLogins();
        whoami(SSHD.settings());
        whoami(SSHD.settings());
        assertEquals(logins + 2, SSHD.acceptedLogins());
        assertEquals(0, IdleConnections.count());
    }

    @Test
    void theNextCommandOnTheSameHostReusesTheConnectionUntilItsIdleTimePasses() throws Exception {
        IdleConnections.keep(Duration.ofMinutes(1));
        long logins = SSHD.acceptedLogins();
        assertEquals(OpenSshServer.USER, whoami(asAnotherCommandSeesIt(SSHD.settings(), "web1")));
        assertEquals(1, IdleConnections.count(), "kept after the command");
        assertEquals(OpenSshServer.USER, whoami(asAnotherCommandSeesIt(SSHD.settings(), "web1-again")));
        assertEquals(OpenSshServer.USER, whoami(SSHD.settings()));
        assertEquals(logins + 1, SSHD.acceptedLogins(), "one login for three commands:\n" + SSHD.log());

        // another user is another connection
        SshSettings other = new SshSettings("web1", SSHD.address(), SSHD.port(), OpenSshServer.PASSWORD_USER,
                SSHD.settings().identityFiles(), false, Optional.empty(), List.of(), SSHD.settings().knownHostsFiles(),
                false, Duration.ofSeconds(5), Duration.ofSeconds(30), PasswordSupplier.NONE);
        assertEquals(OpenSshServer.PASSWORD_USER, whoami(other));
        assertEquals(logins + 2, SSHD.acceptedLogins());
        assertEquals(2, IdleConnections.count());

        assertEquals(2, IdleConnections.closeAll());
        assertEquals(0, IdleConnections.count());
        whoami(SSHD.settings());
        assertEquals(logins + 3, SSHD.acceptedLogins(), "closed ones are not reused");

        IdleConnections.keep(Duration.ofMillis(300));
        whoami(SSHD.settings());
        assertEquals(1, IdleConnections.count());
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (IdleConnections.count() > 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(0, IdleConnections.count(), "closed after 300 ms unused");
    }

    @Test
    void aConnectionWithACommandCutShortIsNotKept() throws Exception {
        IdleConnections.keep(Duration.ofMinutes(1));
        Path started = Path.of("/tmp", "opsctl-kept-started-" + System.nanoTime()); // written by the test user
        try (SshTarget t = new SshTarget(SSHD.settings(), SSHD.dir())) {
            Thread runner = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                try {
                    while (!Files.exists(started)) {
                        Thread.sleep(10);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                runner.interrupt(); // once the command runs on the host: what Ctrl-C does to a step
            });
            interrupter.start();
            assertThrows(InterruptedException.class,
                    () -> t.exec(ExecRequest.of("umask 0; : > " + started + "; sleep 20")));
            Thread.interrupted();
            interrupter.join();
            assertTrue(Files.deleteIfExists(started), "the command ran");
        }
        assertEquals(0, IdleConnections.count(), "its channel may still be open on the host");
    }

    @Test
    void aKeptConnectionWhoseHostRestartedIsReplacedAndTheCommandRuns() throws Exception {
        IdleConnections.keep(Duration.ofMinutes(1));
        long logins = SSHD.acceptedLogins();
        whoami(SSHD.settings());
        SSHD.stop();
        SSHD.start();
        assertEquals(OpenSshServer.USER, whoami(SSHD.settings()));
        assertEquals(logins + 2, SSHD.acceptedLogins());
        assertEquals(1, IdleConnections.count(), "the dead one was closed, the new one kept");
    }

    @Test
    void aHostThatGoesSilentMidCommandFailsItAfterThreeUnansweredKeepalives() throws Exception {
        try (Relay relay = new Relay(SSHD)) {
            SshSettings r = relay.settings(Duration.ofSeconds(5));
            SshSettings s = new SshSettings(r.name(), r.hostName(), r.port(), r.user(), r.identityFiles(), false, r.agentSocket(),
                    List.of(), r.knownHostsFiles(), false, r.connectTimeout(), Duration.ofSeconds(1), r.passphrases());
            try (SshTarget t = new SshTarget(s, SSHD.dir())) {
                java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
                ExecRequest sleep = ExecRequest.of("echo started; sleep 60").withListener((stream, line) -> started.countDown());
                java.util.concurrent.FutureTask<Object> run = new java.util.concurrent.FutureTask<>(() -> t.exec(sleep));
                new Thread(run, "silent-host-exec").start();
                assertTrue(started.await(10, java.util.concurrent.TimeUnit.SECONDS), "the command started");
                relay.freezeOpenConnections(); // a partition: no RST, no FIN, nothing
                long frozen = System.nanoTime();
                java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> run.get(30, java.util.concurrent.TimeUnit.SECONDS));
                double seconds = (System.nanoTime() - frozen) / 1e9;
                assertTrue(e.getCause() instanceof TargetException, String.valueOf(e.getCause()));
                assertTrue(seconds >= 2 && seconds < 10, "three 1 s keepalives unanswered, not the command's 60 s: " + seconds + " s");
                assertTrue(e.getCause().getMessage().contains("server not responding"), e.getCause().getMessage());
                // as when sshd is killed: the connection was lost under the command
                assertEquals(TargetException.Kind.CONNECTION_LOST, ((TargetException) e.getCause()).kind(), e.getCause().getMessage());
            }
        }
    }

    @Test
    void aKeptConnectionThatStoppedAnsweringIsProbedAndReplaced() throws Exception {
        IdleConnections.keep(Duration.ofMinutes(1));
        IdleConnections.probeAfter(Duration.ZERO);
        try (Relay relay = new Relay(SSHD)) {
            SshSettings s = relay.settings(Duration.ofSeconds(2));
            long logins = SSHD.acceptedLogins();
            assertEquals(OpenSshServer.USER, whoami(s));
            relay.freezeOpenConnections(); // a host gone silent: no RST, no FIN, nothing
            long start = System.nanoTime();
            String user = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> whoami(s));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(OpenSshServer.USER, user);
            assertEquals(logins + 2, SSHD.acceptedLogins(), "a new connection instead of the silent one");
            assertTrue(seconds < 8, "one probe timeout (2 s), then a new connection: " + seconds + " s");
            assertEquals(1, IdleConnections.count(), "the silent one closed, the new one kept");
        }
    }

    @Test
    void aSilentKeptConnectionThroughAJumpHostMakesTheNextHostOpenANewJumpConnection() throws Exception {
        IdleConnections.keep(Duration.ofMinutes(1));
        IdleConnections.probeAfter(Duration.ZERO);
        try (Relay relay = new Relay(SSHD)) {
            List<SshSettings> jump = List.of(relay.settings(Duration.ofSeconds(2))); // the sshd is its own jump host
            SshSettings first = named(SSHD.settings(), "first", jump);
            SshSettings second = named(SSHD.settings(OpenSshServer.PASSWORD_USER), "second", jump);
            whoami(first);
            whoami(second);
            assertEquals(2, IdleConnections.count(), "both kept, both holding the one jump connection");
            assertEquals(1, JumpHosts.openCount());
            relay.freezeOpenConnections(); // the jump host goes silent, and both hosts behind it with it
            long logins = SSHD.acceptedLogins();
            long start = System.nanoTime();
            // without condemning the jump connection, the new host connection would wait on the silent
            // jump host's channel open (30 s), though 'second' still holds it
            String user = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> whoami(first));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(OpenSshServer.USER, user);
            assertEquals(logins + 2, SSHD.acceptedLogins(), "a new login to the jump host and one to the host");
            assertTrue(seconds < 8, "one probe timeout (2 s), then new connections: " + seconds + " s");
        }
        IdleConnections.keep(Duration.ZERO);
        assertEquals(0, JumpHosts.openCount(), "the silent jump connection closed with the last host holding it");
    }

    private static SshSettings named(SshSettings s, String name, List<SshSettings> jumps) {
        return new SshSettings(name, s.hostName(), s.port(), s.user(), s.identityFiles(), s.useAgent(), s.agentSocket(), jumps,
                s.knownHostsFiles(), s.acceptNewHostKeys(), s.connectTimeout(), s.serverAliveInterval(), s.passphrases());
    }

    @Test
    void aKeptConnectionThatCannotOpenAChannelIsReplacedOnceWithoutFailingTheCommand() throws Exception {
        IdleConnections.keep(Duration.ofMinutes(1));
        IdleConnections.probeAfter(Duration.ofHours(1)); // reused without asking: the channel open finds out
        try (Relay relay = new Relay(SSHD)) {
            SshSettings s = relay.settings(Duration.ofSeconds(2));
            long logins = SSHD.acceptedLogins();
            whoami(s);
            relay.resetOpenConnectionsOnNextPacket(); // a host that rebooted while the connection was idle
            long start = System.nanoTime();
            String user = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> whoami(s));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(OpenSshServer.USER, user);
            assertEquals(logins + 2, SSHD.acceptedLogins(), "a new connection instead of the reset one");
            assertEquals(1, relay.resets.get(), "the kept connection was tried first");
            assertTrue(seconds < 8, seconds + " s");
        }
    }

    /**
     * A TCP relay to the sshd on its own port, whose open connections can be frozen: bytes are no
     * longer passed on either way, and nothing is closed, as with a host that lost power.
     */
    private static final class Relay implements AutoCloseable {
        private final OpenSshServer sshd;
        private final ServerSocket listener;
        private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger generation = new AtomicInteger();
        private final Path knownHosts;
        private volatile boolean reset;
        final AtomicInteger resets = new AtomicInteger();

        Relay(OpenSshServer sshd) throws IOException {
            this.sshd = sshd;
            this.listener = new ServerSocket(0, 50, InetAddress.getByName(sshd.address()));
            this.knownHosts = Files.createTempFile(sshd.dir(), "relay", ".known_hosts");
            Files.writeString(knownHosts, sshd.hostLine().replace("]:" + sshd.port() + " ", "]:" + listener.getLocalPort() + " "), UTF_8);
            Thread acceptor = new Thread(this::accept, "relay-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        SshSettings settings(Duration timeout) {
            SshSettings s = sshd.settings();
            return new SshSettings(s.name(), s.hostName(), listener.getLocalPort(), s.user(), s.identityFiles(), false,
                    s.agentSocket(), List.of(), List.of(knownHosts), false, timeout, s.serverAliveInterval(), s.passphrases());
        }

        void freezeOpenConnections() {
            generation.incrementAndGet();
        }

        /** Open connections stay silent until the client sends something, which is answered with a TCP reset. */
        void resetOpenConnectionsOnNextPacket() {
            reset = true;
            generation.incrementAndGet();
        }

        private void accept() {
            try {
                while (true) {
                    Socket client = listener.accept();
                    Socket server = new Socket();
                    server.connect(new InetSocketAddress(sshd.address(), sshd.port()));
                    sockets.add(client);
                    sockets.add(server);
                    int born = generation.get();
                    pump(client, server, born, true);
                    pump(server, client, born, false);
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void pump(Socket from, Socket to, int born, boolean fromClient) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16384];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        if (generation.get() != born) {
                            if (reset && fromClient) {
                                resets.incrementAndGet();
                                from.setSoLinger(true, 0); // close with RST, as a rebooted host answers
                                from.close();
                                to.close();
                                return;
                            }
                            continue; // frozen: swallowed, never closed
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // one side closed
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }
}
