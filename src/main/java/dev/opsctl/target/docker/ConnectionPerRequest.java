package dev.opsctl.target.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;

/**
 * Sends every request on a connection of its own ({@code Connection: close}), as the docker CLI
 * does. docker-java's pool never checks a kept connection before reusing it, so after the daemon
 * closed one (a restart, a crash, a connection the SSH bridge lost) the next request went into a
 * dead socket; HttpClient repeats only GETs, so a create, start or exec failed as 'not answering'
 * on a daemon that was up. Hijacked streams (attach with stdin) keep their own upgrade headers.
 */
final class ConnectionPerRequest implements DockerHttpClient {
    private final DockerHttpClient delegate;

    ConnectionPerRequest(DockerHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public Response execute(Request request) {
        if (request.hijackedInput() != null) {
            return delegate.execute(request);
        }
        return delegate.execute(Request.builder().from(request).putHeader("Connection", "close").build());
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
