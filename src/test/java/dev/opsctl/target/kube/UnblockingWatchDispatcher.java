package dev.opsctl.target.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * fabric8's mixed dispatcher, but its watches never stall the mock server. In the mock (7.8.0) a
 * watch's send thread waits for Vert.x to finish each write, while a client closing that watch makes
 * the event loop wait for the send thread to end ({@code WatchEventsListener.onClosed}): a write in
 * flight then cannot finish, and the whole server answers nothing for the write's 30 s timeout. A
 * rollout test that closes a watch while a played controller still changes the object hit it in CI
 * ("request timed out" twice, the event loop reported blocked). Here each watch's WebSocket takes
 * sends and the close into a queue of its own, written in order by a thread of its own, so the
 * mock's send thread never waits and the close still follows every send queued before it.
 */
final class UnblockingWatchDispatcher extends KubernetesMixedDispatcher {
    UnblockingWatchDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
        super(responses);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        MockResponse response = super.dispatch(request);
        WebSocketListener listener = response.getWebSocketListener();
        boolean watch = request.getPath() != null && request.getPath().contains("watch=true");
        return listener == null || !watch ? response : response.withWebSocketUpgrade(new QueuedListener(listener));
    }

    /** The watch's own listener, shown a {@link QueuedWebSocket} in place of the real one. */
    private static final class QueuedListener extends WebSocketListener {
        private final WebSocketListener watch;
        private QueuedWebSocket socket;

        QueuedListener(WebSocketListener watch) {
            this.watch = watch;
        }

        private synchronized QueuedWebSocket queued(WebSocket real) {
            if (socket == null) {
                socket = new QueuedWebSocket(real);
            }
            return socket;
        }

        @Override
        public void onBeforeAccept(WebSocket webSocket, Response response) {
            watch.onBeforeAccept(queued(webSocket), response);
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            watch.onOpen(queued(webSocket), response);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            watch.onMessage(queued(webSocket), text);
        }

        @Override
        public void onMessage(WebSocket webSocket, byte[] bytes) {
            watch.onMessage(queued(webSocket), bytes);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            watch.onClosing(queued(webSocket), code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            watch.onClosed(queued(webSocket), code, reason);
            queued(webSocket).finish();
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable error, Response response) {
            watch.onFailure(queued(webSocket), error, response);
            queued(webSocket).finish();
        }
    }

    /** Sends and the close go to one writer thread, in the order they came. */
    private static final class QueuedWebSocket implements WebSocket {
        private final WebSocket real;
        private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mock-watch-writer");
            t.setDaemon(true);
            return t;
        });

        QueuedWebSocket(WebSocket real) {
            this.real = real;
        }

        @Override
        public RecordedRequest request() {
            return real.request();
        }

        @Override
        public boolean send(String text) {
            return queue(() -> real.send(text));
        }

        @Override
        public boolean send(byte[] bytes) {
            return queue(() -> real.send(bytes));
        }

        @Override
        public boolean close(int code, String reason) {
            return queue(() -> real.close(code, reason));
        }

        /** The writer ends once what is queued is written. */
        void finish() {
            writer.shutdown();
        }

        private boolean queue(Runnable write) {
            try {
                writer.execute(write);
                return true;
            } catch (RejectedExecutionException closed) {
                return false; // the watch is over: as a send to a closed socket
            }
        }
    }
}
