package dev.opsctl.target.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.UnixSocketForwarding;
import java.nio.file.Path;

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

    /** A request/response call, timed out by the client when the daemon goes silent. */
    <T> T api(String what, Call<T> call) throws TargetException, InterruptedException {
        return run(what, call, clients().api());
    }

    /** A call that may stream for long (attach, wait, load); its caller bounds it. */
    <T> T streams(String what, Call<T> call) throws TargetException, InterruptedException {
        return run(what, call, clients().streams());
    }

    DockerHttpClient http() throws TargetException, InterruptedException {
        return clients().apiHttp();
    }

    private <T> T run(String what, Call<T> call, DockerClient client) throws TargetException, InterruptedException {
        T result;
        long started = System.nanoTime();
        try {
            result = call.run(client);
        } catch (RuntimeException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            // a connection the forward could not take through shows here only as closed unanswered
            throw DockerErrors.translate(host, what, e, forwarding.unanswered(remoteSocket, started));
        }
        // docker-java's blocking calls do not notice an interrupt: honour it once they return
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return result;
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
