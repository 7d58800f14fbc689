package dev.opsctl.target.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.UnixSocketForwarding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The clients of one host's daemon, opened on first use through the host target's socket
 * forwarding, and the one place docker-java calls are made and their failures translated.
 * Thread-safe.
 */
final class DaemonConnection implements AutoCloseable {
    @FunctionalInterface
    interface Call<T> {
        T run(DockerClient client);
    }

    /** What a change cut short by a lost connection may have left. */
    static final String MAY_HAVE_TAKEN_EFFECT = "; the daemon may have done it, or may still be doing it";

    private final String host;
    private final UnixSocketForwarding forwarding;
    private final String remoteSocket;
    private DockerClientFactory.Clients clients;
    private boolean closed;

    DaemonConnection(String host, UnixSocketForwarding forwarding, String remoteSocket) {
        this.host = host;
        this.forwarding = forwarding;
        this.remoteSocket = remoteSocket;
    }

    String host() {
        return host;
    }

    /**
     * A request/response call that only reads (inspect, list, info, ping), timed out ({@link ResponseDeadline}) when
     * the daemon goes silent. When the host's connection broke under it, it is asked once more at once (the
     * forward's next connection is a new one): it changed nothing. CONNECTION_LOST ({@code READ_ONLY}) when
     * that breaks too.
     */
    <T> T read(String what, Call<T> call) throws TargetException, InterruptedException {
        return read(what, Optional.empty(), call);
    }

    /**
     * As {@link #read(String, Call)}, for a read made to follow changes the caller made before it ({@code changed}:
     * "; ..." says what they may have left): when it breaks twice, the step those changes belong to was cut short,
     * CONNECTION_LOST ({@code MAY_STILL_RUN}) saying {@code changed}, not that nothing changed.
     */
    <T> T read(String what, Optional<String> changed, Call<T> call) throws TargetException, InterruptedException {
        return read(what, changed, DockerClientFactory.responseTimeout(), call);
    }

    /**
     * As {@link #read(String, Call)}, for a caller whose own limit ends {@code within} from now: a silent daemon's answer is
     * waited for no longer than that when it is sooner than the response timeout.
     */
    <T> T read(String what, Duration within, Call<T> call) throws TargetException, InterruptedException {
        return read(what, Optional.empty(), sooner(within), call);
    }

    private static Duration sooner(Duration within) {
        Duration limit = DockerClientFactory.responseTimeout();
        return within.compareTo(limit) < 0 ? within.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : within : limit;
    }

    private <T> T read(String what, Optional<String> changed, Duration limit, Call<T> call) throws TargetException, InterruptedException {
        try {
            return run(what, call, clients().api(), "", Mode.READ, Optional.of(limit));
        } catch (TargetException first) {
            if (first.kind() != TargetException.Kind.CONNECTION_LOST || closed()) {
                throw first;
            }
            try {
                return run(what, call, clients().api(), "", Mode.READ, Optional.of(limit));
            } catch (TargetException again) {
                boolean lostAgain = again.kind() == TargetException.Kind.CONNECTION_LOST;
                String words = lostAgain ? first.getMessage() + "; asked again on a new connection, which broke too"
                        + changed.orElse("; it only reads: nothing changed on the host")
                        : again.getMessage() + " (asked again, as " + first.getMessage() + ")";
                TargetException e = new TargetException(again.kind(), host, words, again.getCause());
                throw lostAgain && changed.isEmpty() ? e.withLostCommand(TargetException.LostCommand.READ_ONLY) : e;
            }
        }
    }

    /**
     * A request/response call that changes the daemon's state (create, start, kill, remove, exec), timed out
     * ({@link ResponseDeadline}) when the daemon goes silent. Never asked again: when the host's connection broke under it, the
     * daemon may have done it or may still be doing it; CONNECTION_LOST ({@code MAY_STILL_RUN}) saying so. A daemon
     * that went silent under it may have done it too: TIMEOUT, saying so ({@link TargetException#withChangeUnanswered()}).
     */
    <T> T change(String what, Call<T> call) throws TargetException, InterruptedException {
        return change(what, MAY_HAVE_TAKEN_EFFECT, call);
    }

    /** As {@link #change(String, Call)}; {@code effect} says what a lost connection may have left ("; ..."), or nothing. */
    <T> T change(String what, String effect, Call<T> call) throws TargetException, InterruptedException {
        return run(what, call, clients().api(), effect, Mode.CHANGE, Optional.of(DockerClientFactory.responseTimeout()));
    }

    /** As {@link #change(String, String, Call)}, waiting no longer than {@code within} when that is sooner (as {@link #read(String, Duration, Call)}). */
    <T> T change(String what, String effect, Duration within, Call<T> call) throws TargetException, InterruptedException {
        return run(what, call, clients().api(), effect, Mode.CHANGE, Optional.of(sooner(within)));
    }

    /**
     * A call that starts a stream (attach, wait, logs, exec output, pull) and returns; its caller bounds the stream. A lost
     * connection is as for a change.
     */
    <T> T streams(String what, String effect, Call<T> call) throws TargetException, InterruptedException {
        return run(what, call, clients().streams(), effect, Mode.STREAM, Optional.empty());
    }

    /**
     * A call that sends a stream and waits for the answer in the call itself (an image load), which may rightly take
     * minutes: it ends after {@code within} (TIMEOUT, "did not finish within"), also on a daemon gone silent under it.
     * A lost connection is as for a change.
     */
    <T> T streams(String what, String effect, Duration within, Call<T> call) throws TargetException, InterruptedException {
        return run(what, call, clients().streams(), effect, Mode.STREAM, Optional.of(within));
    }

    DockerHttpClient http() throws TargetException, InterruptedException {
        return clients().apiHttp();
    }

    /**
     * What a call begun at {@code startedNanos} that failed so ({@code e}, from a stream's callback) means: a lost
     * connection when the host's connection broke under it since, saying {@code effect}; else docker-java's error.
     */
    TargetException failure(String what, RuntimeException e, long startedNanos, String effect) {
        Optional<TargetException> lost = DockerErrors.answered(e) ? Optional.empty() : lost(what, startedNanos, effect, e);
        return lost.orElseGet(() -> DockerErrors.translate(host, what, e, forwarding.unanswered(remoteSocket, startedNanos)));
    }

    /** CONNECTION_LOST ({@code MAY_STILL_RUN}) when the host's connection broke under a call begun at {@code startedNanos}. */
    Optional<TargetException> lost(String what, long startedNanos, String effect, Throwable cause) {
        return forwarding.broken(remoteSocket, startedNanos).map(why -> new TargetException(TargetException.Kind.CONNECTION_LOST,
                host, "docker on host '" + host + "': " + what + " was cut short: " + why + effect, cause));
    }

    /** How a call is made: a request/response that only reads, or changes something (both bounded here), or a stream. */
    private enum Mode { READ, CHANGE, STREAM }

    private <T> T run(String what, Call<T> call, DockerClient client, String effect, Mode mode, Optional<Duration> limit)
            throws TargetException, InterruptedException {
        T result = null;
        RuntimeException failed = null;
        boolean passed;
        long started = System.nanoTime();
        Optional<ResponseDeadline> deadline = limit.map(ResponseDeadline::arm);
        try {
            result = call.run(client);
        } catch (RuntimeException e) {
            failed = e;
        } finally {
            // on every way out, an Error too: a deadline left armed would interrupt whatever the thread does next
            passed = deadline.map(ResponseDeadline::disarm).orElse(false);
        }
        if (failed != null) {
            if (passed) {
                throw timedOut(what, failed, effect, mode, limit.orElseThrow());
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            // a connection the forward could not take through shows here only as closed unanswered
            throw failure(what, failed, started, effect);
        }
        // an answer that came as the deadline passed is an answer; docker-java's blocking calls do not notice an
        // interrupt: honour it once they return
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return result;
    }

    /** A call its deadline ended: a daemon silent under a request, or a stream sent that outlived its caller's limit. */
    private TargetException timedOut(String what, RuntimeException e, String effect, Mode mode, Duration limit) {
        if (mode == Mode.STREAM) {
            return new TargetException(TargetException.Kind.TIMEOUT, host, DockerErrors.timedOut(host, what, limit).getMessage(), e);
        }
        TargetException silent = DockerErrors.silent(host, what, limit, e);
        return mode == Mode.CHANGE ? new TargetException(silent.kind(), host, silent.getMessage() + effect, e).withChangeUnanswered()
                : silent;
    }

    private synchronized boolean closed() {
        return closed;
    }

    private synchronized DockerClientFactory.Clients clients() throws TargetException, InterruptedException {
        if (closed) {
            throw new TargetException(TargetException.Kind.CONNECTION_LOST, host,
                    "docker on host '" + host + "': the connection was already closed");
        }
        if (clients == null) {
            Path local = forwarding.forward(remoteSocket);
            clients = DockerClientFactory.open(local);
        }
        return clients;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (clients != null) {
            clients.close();
            clients = null;
        }
    }
}
