package dev.opsctl.target.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.opsctl.source.Durations;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Builds docker-java clients for a daemon socket in this process's filesystem, with the zerodep
 * transport (HTTP over the unix socket, no Jersey or Netty). Two clients share nothing but the
 * socket: {@code api} for request/response calls, where a silent daemon is a timeout (a {@link ResponseDeadline}:
 * the client's own response timeout never fires on a unix socket), and
 * {@code streams} for attach, wait, load and pull, which may rightly be silent for minutes and are
 * bounded by their callers instead. Neither keeps a connection between requests
 * ({@link ConnectionPerRequest}).
 */
final class DockerClientFactory {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Overrides {@link #DEFAULT_RESPONSE_TIMEOUT} (a duration: {@code 5s}, {@code 2m}); read at each call, so the tests of a
     * silent daemon need not wait a minute each. An unreadable value is the default, never a call without a deadline.
     */
    static final String RESPONSE_TIMEOUT_PROPERTY = "opsctl.docker.response-timeout";
    /** Enough for a monitor's probes and a few parallel steps; each is one socket (one SSH channel when forwarded). */
    private static final int MAX_CONNECTIONS = 8;

    /** The clients of one daemon; closing closes both. */
    record Clients(DockerClient api, DockerHttpClient apiHttp, DockerClient streams) implements AutoCloseable {
        @Override
        public void close() {
            quietly(api);
            quietly(streams);
        }
    }

    private DockerClientFactory() {}

    /** How long a request/response call waits for its daemon's answer. */
    static Duration responseTimeout() {
        String configured = System.getProperty(RESPONSE_TIMEOUT_PROPERTY);
        return configured == null ? DEFAULT_RESPONSE_TIMEOUT
                : Durations.parse(configured).filter(d -> !d.isZero()).orElse(DEFAULT_RESPONSE_TIMEOUT);
    }

    static Clients open(Path socket) {
        URI host = URI.create("unix://" + socket.toAbsolutePath());
        // An explicit config: the default builder would read DOCKER_HOST, DOCKER_TLS_VERIFY and
        // ~/.docker from the controller's environment, which say nothing about this host
        DefaultDockerClientConfig config = new DefaultDockerClientConfig.Builder()
                .withDockerHost(host.toString())
                .withDockerTlsVerify(false)
                .build();
        DockerHttpClient apiHttp = http(host, responseTimeout());
        DockerHttpClient streamHttp = http(host, Duration.ZERO);
        return new Clients(DockerClientImpl.getInstance(config, apiHttp), apiHttp, DockerClientImpl.getInstance(config, streamHttp));
    }

    private static DockerHttpClient http(URI host, Duration responseTimeout) {
        ZerodepDockerHttpClient.Builder b = new ZerodepDockerHttpClient.Builder()
                .dockerHost(host)
                .maxConnections(MAX_CONNECTIONS)
                .connectionTimeout(CONNECT_TIMEOUT);
        if (!responseTimeout.isZero()) {
            b.responseTimeout(responseTimeout);
        }
        return new ConnectionPerRequest(b.build());
    }

    private static void quietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            // closing a client whose daemon is gone: nothing left to release
        }
    }
}
