package dev.opsctl.target.ssh;

import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import com.hierynomus.sshj.key.KeyAlgorithm;
import com.hierynomus.sshj.key.KeyAlgorithms;
import net.schmizz.sshj.ConfigImpl;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.kex.KeyExchange;

/** Opens an authenticated sshj connection for {@link SshSettings}, through its jump hosts if any. */
final class SshConnector {
    /**
     * The connection and its lease on the jump-host connection it runs through, if any;
     * {@code reused} when it was kept from an earlier host ({@link IdleConnections}).
     */
    record Connected(SSHClient client, JumpHosts.Lease via, boolean reused) {
        Connected(SSHClient client, JumpHosts.Lease via) {
            this(client, via, false);
        }

        Connected asReused() {
            return new Connected(client, via, true);
        }

        boolean alive() {
            return SshConnector.alive(client);
        }

        /**
         * A new session channel. sshj refuses one on a transport it has seen close with an unchecked
         * "Not connected"; here that is what it is, a lost connection.
         */
        Session startSession() throws ConnectionException, TransportException {
            try {
                return client.startSession();
            } catch (IllegalStateException e) {
                throw new ConnectionException("the connection is closed (" + e.getMessage() + ")", e);
            }
        }

        /**
         * Whether the connection is closed, or closes within {@code wait}: a channel open fails as
         * soon as the transport starts dying, while it still counts as running until it has finished.
         */
        boolean closedWithin(Duration wait) {
            try {
                client.getTransport().join((int) Math.min(Integer.MAX_VALUE, wait.toMillis()), TimeUnit.MILLISECONDS);
                return true;
            } catch (TransportException e) {
                return !(e.getCause() instanceof TimeoutException);
            }
        }

        /** Asks the host for a keepalive reply; any reply, a refusal included, means it is there. */
        boolean answersWithin(Duration timeout) {
            try {
                client.getConnection().sendGlobalRequest("keepalive@openssh.com", true, new byte[0])
                        .retrieve(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return alive();
            } catch (ConnectionException e) {
                return !(e.getCause() instanceof TimeoutException) && alive();
            } catch (TransportException | RuntimeException e) {
                return false;
            }
        }

        void close() {
            quietly(client);
            if (via != null) {
                via.release();
            }
        }
    }

    static boolean alive(SSHClient client) {
        return client.isConnected() && client.getTransport().isRunning() && client.isAuthenticated();
    }

    static {
        // Registering BouncyCastle costs ~0.8 s of start-up; the JDK 17 providers cover what
        // OpenSSH negotiates (curve25519, ed25519, ecdsa, rsa-sha2, aes-gcm/ctr)
        SecurityUtils.setRegisterBouncyCastle(false);
    }

    private static volatile boolean bouncyCastle;

    private SshConnector() {}

    private static boolean missingAlgorithm(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GeneralSecurityException && !(t.getCause() instanceof GeneralSecurityException)) {
                return t instanceof NoSuchAlgorithmException || t instanceof NoSuchProviderException;
            }
        }
        return false;
    }

    /** A kept connection for {@code target} if there is one ({@link IdleConnections}), else a new one. */
    static Connected connect(SshSettings target, Path home) throws TargetException {
        return connect(target, home, target.connectTimeout());
    }

    /** As {@link #connect(SshSettings, Path)}, a new connection's connect timeout at most {@code within} (a call's time left). */
    static Connected connect(SshSettings target, Path home, Duration within) throws TargetException {
        // before a kept connection is looked for: one made for another host on a direct route must not serve this one
        checkRefusals(target);
        Optional<Connected> kept = IdleConnections.take(target);
        return kept.isPresent() ? kept.get() : connectNew(target, home, within);
    }

    /**
     * As {@link #connectNew(SshSettings, Path)}, its connect timeout, and its jump hosts' should one
     * need opening again, at most {@code within} (a call's time left).
     */
    static Connected connectNew(SshSettings target, Path home, Duration within) throws TargetException {
        return connectNew(target, home, within.compareTo(target.connectTimeout()) < 0 ? Optional.of(within) : Optional.empty());
    }

    /** How long {@code hop}'s handshake and login may take: its connect timeout, or {@code bound} if less. */
    static Duration connectTimeout(SshSettings hop, Optional<Duration> bound) {
        return bound.filter(b -> b.compareTo(hop.connectTimeout()) < 0).orElse(hop.connectTimeout());
    }

    private static void checkRefusals(SshSettings target) throws TargetException {
        for (SshSettings hop : hopsAndTarget(target)) {
            if (hop.refusal().isPresent()) {
                String which = hop == target ? "" : " (a jump host on the way)";
                throw TargetException.unreachable(target.name(), hop.refusal().get() + which + "; opsctl did not connect", null);
            }
        }
    }

    static Connected connectNew(SshSettings target, Path home) throws TargetException {
        return connectNew(target, home, Optional.empty());
    }

    /** {@code bound}: the most any hop's handshake may take, a call's time left (see {@link #connectNew(SshSettings, Path, Duration)}). */
    private static Connected connectNew(SshSettings target, Path home, Optional<Duration> bound) throws TargetException {
        checkRefusals(target);
        try {
            try {
                return connectOnce(target, home, bound);
            } catch (HopFailure f) {
                if (!f.retryWithBouncyCastle) {
                    throw f;
                }
                enableBouncyCastle();
                return connectOnce(target, home, bound);
            }
        } catch (HopFailure f) {
            throw f.of(target);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TargetException.unreachable(target.name(), "interrupted while connecting to '" + target.endpoint() + "'", e);
        }
    }

    private static List<SshSettings> hopsAndTarget(SshSettings target) {
        List<SshSettings> all = new ArrayList<>(target.jumps());
        all.add(target);
        return all;
    }

    /** The jump host {@code hop} is reached through: the hop before it on the way to {@code target}, if any. */
    private static Optional<SshSettings> jumpBefore(SshSettings target, SshSettings hop) {
        List<SshSettings> way = hopsAndTarget(target);
        for (int i = 1; i < way.size(); i++) {
            if (way.get(i) == hop) {
                return Optional.of(way.get(i - 1));
            }
        }
        return Optional.empty();
    }

    /** Some keys (ECDSA) need BouncyCastle's KeyFactory; registered only then, as it is slow. */
    static synchronized void enableBouncyCastle() {
        if (!bouncyCastle) {
            SecurityUtils.setRegisterBouncyCastle(true);
            SecurityUtils.isBouncyCastleRegistered();
            bouncyCastle = true;
        }
    }

    /**
     * A failed connection to one hop (the host itself or a jump host), kept apart from the target
     * it was for: targets sharing a jump host each report it under their own name.
     */
    static final class HopFailure extends Exception {
        private final SshSettings hop;
        private final IOException cause;
        private final Optional<String> hostKeyRejection;
        private final List<String> keysTried;
        private final boolean retryWithBouncyCastle;
        private final boolean interruption;
        private final boolean closedWhileAsked;

        HopFailure(SshSettings hop, IOException cause, Optional<String> hostKeyRejection, List<String> keysTried,
                boolean retryWithBouncyCastle) {
            this(hop, cause, hostKeyRejection, keysTried, retryWithBouncyCastle, false, false);
        }

        private HopFailure(SshSettings hop, IOException cause, Optional<String> hostKeyRejection, List<String> keysTried,
                boolean retryWithBouncyCastle, boolean interruption, boolean closedWhileAsked) {
            super(cause.getMessage(), cause, false, false);
            this.hop = hop;
            this.cause = cause;
            this.hostKeyRejection = hostKeyRejection;
            this.keysTried = List.copyOf(keysTried);
            this.retryWithBouncyCastle = retryWithBouncyCastle;
            this.interruption = interruption;
            this.closedWhileAsked = closedWhileAsked;
        }

        /** The thread opening the hop was interrupted (Ctrl-C, a step timeout): a failure of that thread, not of the hop. */
        static HopFailure interrupted(SshSettings hop) {
            return new HopFailure(hop, new java.io.InterruptedIOException("interrupted while connecting"), Optional.empty(),
                    List.of(), false, true, false);
        }

        /** The hop closed the connection while a passphrase was asked; worth opening once more, as the key is decoded now. */
        static HopFailure closedWhileAsked(SshSettings hop, IOException cause, List<String> keysTried) {
            return new HopFailure(hop, cause, Optional.empty(), keysTried, false, false, true);
        }

        /** An unexpected error while opening the hop (a bug, a broken key provider), reported as the hop's failure. */
        static HopFailure unexpected(SshSettings hop, Throwable e) {
            return new HopFailure(hop, new IOException("unexpected error: " + e, e), Optional.empty(), List.of(), false);
        }

        boolean interruption() {
            return interruption;
        }

        /** The failure as {@code target} reports it; the hop before the failed one, if any, forwarded the connection to it. */
        TargetException of(SshSettings target) {
            List<SshSettings> chain = hopsAndTarget(target);
            int at = hop == null ? chain.size() - 1 : chain.indexOf(hop);
            Optional<SshSettings> forwarder = at > 0 ? Optional.of(chain.get(at - 1)) : Optional.empty();
            return SshErrors.connect(target, hop == null ? target : hop, forwarder, cause, hostKeyRejection, keysTried);
        }
    }

    /**
     * A copy of one {@link DefaultConfig} built per process: building one reads a resource from the
     * jar and test-initialises every cipher it knows (Blowfish's key schedule among them), ~0.5 ms of
     * CPU per host in a fan-out. The factories are stateless and the random source is thread-safe.
     */
    static ConfigImpl config() {
        DefaultConfig t = template();
        ConfigImpl c = new ConfigImpl();
        c.setVersion(t.getVersion());
        c.setLoggerFactory(t.getLoggerFactory());
        c.setRandomFactory(t.getRandomFactory());
        c.setKeyExchangeFactories(fastKeyExchanges(t.getKeyExchangeFactories()));
        c.setKeyAlgorithms(HostKeyAlgorithms.of(fastKeyAlgorithms(t.getKeyAlgorithms())));
        c.setCipherFactories(new ArrayList<>(t.getCipherFactories()));
        c.setMACFactories(new ArrayList<>(t.getMACFactories()));
        c.setCompressionFactories(new ArrayList<>(t.getCompressionFactories()));
        c.setFileKeyProviderFactories(new ArrayList<>(t.getFileKeyProviderFactories()));
        c.setWaitForServerIdentBeforeSendingClientIdent(t.isWaitForServerIdentBeforeSendingClientIdent());
        // KnownHostsVerifier checks host certificates (CA signature, principals, validity) as ssh does:
        // sshj's key exchanges would check the principals against the address dialled, not the HostKeyAlias
        c.setVerifyHostKeyCertificates(false);
        c.setMaxCircularBufferSize(t.getMaxCircularBufferSize());
        c.setKeepAliveProvider(ServerAlive.PROVIDER);
        return c;
    }

    /**
     * sshj's list with curve25519-sha256 (both names) on BouncyCastle's X25519, same place in the
     * preference order: the JDK's costs ~0.5 ms per operation warm and far more while a fan-out's
     * threads all run it interpreted.
     */
    static List<Factory.Named<KeyExchange>> fastKeyExchanges(List<Factory.Named<KeyExchange>> sshj) {
        List<Factory.Named<KeyExchange>> out = new ArrayList<>(sshj.size());
        for (Factory.Named<KeyExchange> f : sshj) {
            boolean curve = f.getName().equals("curve25519-sha256") || f.getName().equals("curve25519-sha256@libssh.org");
            out.add(curve ? new Curve25519Kex.Named(f.getName()) : f);
        }
        return out;
    }

    /** sshj's list with ssh-ed25519 (keys and certificates) signed and verified by BouncyCastle's Ed25519. */
    static List<Factory.Named<KeyAlgorithm>> fastKeyAlgorithms(List<Factory.Named<KeyAlgorithm>> sshj) {
        List<Factory.Named<KeyAlgorithm>> out = new ArrayList<>(sshj.size());
        for (Factory.Named<KeyAlgorithm> f : sshj) {
            if (f.getName().equals(KeyType.ED25519.toString())) {
                out.add(new KeyAlgorithms.Factory(f.getName(), Ed25519Signature.FACTORY, KeyType.ED25519));
            } else if (f.getName().equals(KeyType.ED25519_CERT.toString())) {
                out.add(new KeyAlgorithms.Factory(f.getName(), Ed25519Signature.FACTORY, KeyType.ED25519_CERT));
            } else {
                out.add(f);
            }
        }
        return out;
    }

    private static DefaultConfig template;
    private static boolean templateWithBouncyCastle;

    /** Built again once BouncyCastle is registered, which offers more than the JDK providers. */
    private static synchronized DefaultConfig template() {
        if (template == null || templateWithBouncyCastle != bouncyCastle) {
            template = new DefaultConfig();
            templateWithBouncyCastle = bouncyCastle;
        }
        return template;
    }

    private static Connected connectOnce(SshSettings target, Path home, Optional<Duration> bound) throws HopFailure, InterruptedException {
        if (target.jumps().isEmpty()) {
            return new Connected(open(target, target, null, home, connectTimeout(target, bound)), null);
        }
        JumpHosts.Lease via = JumpHosts.acquire(target, home, bound);
        try {
            return new Connected(open(target, target, via.client(), home, connectTimeout(target, bound)), via);
        } catch (HopFailure | RuntimeException | Error e) {
            via.release();
            throw e;
        }
    }

    /** A client for {@code hop}, configured and not yet connected. */
    static SSHClient unconnected(SshSettings hop, KnownHostsVerifier verifier) {
        return unconnected(hop, verifier, hop.connectTimeout());
    }

    private static SSHClient unconnected(SshSettings hop, KnownHostsVerifier verifier, Duration connectTimeout) {
        SSHClient client = new SSHClient(config());
        client.addHostKeyVerifier(verifier);
        client.setConnectTimeout(millis(connectTimeout));
        client.setSocketFactory(NoDelaySockets.INSTANCE);
        client.getTransport().setTimeoutMs(millis(connectTimeout));
        return client;
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    /**
     * An authenticated connection to {@code hop}, directly or through {@code via}. A connection the
     * host closed while a passphrase was asked is opened once more, with the answer given.
     */
    static SSHClient open(SshSettings target, SshSettings hop, SSHClient via, Path home) throws HopFailure {
        return open(target, hop, via, home, hop.connectTimeout());
    }

    /**
     * As {@link #open(SshSettings, SshSettings, SSHClient, Path)}, its handshake and login within
     * {@code connectTimeout} (a call's time left, when less than the hop's own); what waits on the
     * connection afterwards (a key re-exchange) waits the hop's own connect timeout again, as the
     * connection serves later calls, and other hosts through a jump host.
     */
    static SSHClient open(SshSettings target, SshSettings hop, SSHClient via, Path home, Duration connectTimeout) throws HopFailure {
        try {
            return openOnce(target, hop, via, home, connectTimeout);
        } catch (HopFailure f) {
            if (!f.closedWhileAsked) {
                throw f;
            }
            return openOnce(target, hop, via, home, connectTimeout);
        }
    }

    private static SSHClient openOnce(SshSettings target, SshSettings hop, SSHClient via, Path home, Duration timeout)
            throws HopFailure {
        KnownHostsVerifier verifier = new KnownHostsVerifier(hop.hostKeys(), home, jumpBefore(target, hop).map(SshSettings::name));
        SSHClient client = unconnected(hop, verifier, timeout);
        List<String> tried = new ArrayList<>();
        HandshakeDeadline deadline = null;
        try {
            // before connecting: sshj starts the keepalive thread only if an interval is set by then
            client.getConnection().getKeepAlive().setKeepAliveInterval((int) hop.serverAliveInterval().toSeconds());
            ServerAlive.countMax(client.getConnection(), hop.serverAliveCountMax());
            // the deadline covers the banner and the key exchange, as OpenSSH's ConnectTimeout does,
            // not authentication, which may wait for a passphrase or an agent's confirmation
            if (via == null) {
                deadline = new HandshakeDeadline(timeout, () -> {
                    java.net.Socket socket = client.getSocket();
                    if (socket != null) {
                        socket.close();
                    }
                });
                client.connect(hop.hostName(), hop.port());
            } else {
                long begun = System.nanoTime();
                HopTunnel tunnel = new HopTunnel(via.getConnection(), hop.hostName(), hop.port());
                tunnel.open(timeout);
                Duration left = timeout.minusNanos(System.nanoTime() - begun);
                deadline = new HandshakeDeadline(left.isNegative() ? Duration.ZERO : left, () -> {
                    // fail the blocked read at once: close() alone waits for the jump host's answer
                    tunnel.notifyError(new SSHException("SSH handshake deadline passed"));
                    tunnel.close();
                });
                client.connectVia(tunnel);
            }
            if (!deadline.finish()) {
                throw new HandshakeTimeout(timeout);
            }
            PublickeyLogin.run(client, hop.user(), OfferedKeys.of(client, hop, tried));
            client.getTransport().setTimeoutMs(millis(hop.connectTimeout()));
            return client;
        } catch (PublickeyLogin.ClosedWhileAsked e) {
            quietly(client);
            throw HopFailure.closedWhileAsked(hop == target ? null : hop, e, tried);
        } catch (IOException | SSHRuntimeException e) {
            quietly(client);
            IOException io = e instanceof IOException x ? x : new IOException(e.getMessage(), e);
            if (deadline != null) {
                deadline.finish();
                if (deadline.expired()) {
                    io = new HandshakeTimeout(timeout);
                }
            }
            if (e instanceof SocketTimeoutException && !(e instanceof HandshakeTimeout)) {
                io = new HandshakeTimeout(timeout); // the TCP connect's, which is the same time
            }
            throw new HopFailure(hop == target ? null : hop, io, verifier.rejection(), tried, !bouncyCastle && missingAlgorithm(e));
        } catch (RuntimeException | Error e) {
            if (deadline != null) {
                deadline.finish();
            }
            quietly(client);
            throw e;
        }
    }

    static void quietly(SSHClient c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            // closing a dead connection may fail; nothing is left to release
        }
    }
}
