package dev.opsctl.target.kube;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 relay in front of the mock API server that can cut a request off after the server took
 * it in: {@link #cut(String, int)} makes the next requests of a method (PATCH, POST, GET ...) go to the
 * server, waits for the server's whole answer (so the server has done it), and then resets the client's
 * connection instead of passing the answer on, as a load balancer or a network blip does. Every request
 * that reached the server is listed ({@link #requests()}). Upgrades (watches, exec) are relayed as they are.
 * Helm's client-go can read the mock through it: JSON is asked for and labelled so, and OpenAPI is answered 404 (Helm's
 * install then stops at its validation, having reached the cluster).
 */
public final class RequestCuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstreamPort;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<Socket> upgraded = new CopyOnWriteArrayList<>();
    private volatile boolean holdUpgrades;
    private volatile String cutMethod = "";
    private volatile boolean midAnswer;
    private volatile int answerStatus;
    private volatile int cutAnswerStatus;
    private volatile boolean cutBeforeBody;
    private volatile String refuseAfter = "";
    private volatile boolean refusing;
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private final AtomicInteger passesLeft = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();

    public RequestCuttingProxy(int upstreamPort) throws IOException {
        this(upstreamPort, InetAddress.getLoopbackAddress());
    }

    /**
     * On an address of its own ({@link #refuseAfter} closes the port: on a shared address another server could take the
     * freed port at once and answer in its place).
     */
    public RequestCuttingProxy(int upstreamPort, InetAddress address) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, address);
        daemon(this::accept, "request-cutting-proxy");
    }

    public String url() {
        return "http://" + listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort() + "/";
    }

    /**
     * Once the answer to the next request starting so ("POST /api/v1/namespaces/prod/configmaps") has been passed on,
     * the proxy stops listening and resets every connection: every later request is refused, as by an API server that
     * went away between two requests.
     */
    public void refuseAfter(String request) {
        refuseAfter = request;
    }

    /**
     * The next {@code times} requests of {@code method} ("PATCH"; or a start of the request line, "GET /api/v1/namespaces/prod/secrets")
     * reach the server, and their answers never reach the client.
     */
    public void cut(String method, int times) {
        midAnswer = false;
        cutAnswerStatus = 0;
        answerStatus = 0;
        cutMethod = method.contains(" ") ? method : method + " ";
        cutsLeft.set(times);
    }

    /**
     * As {@link #cut}, but the client gets the answer's status line, headers and half its body first: the JDK
     * client asks a GET again by itself only when no byte of the answer came, so this break reaches opsctl.
     */
    public void cutMidAnswer(String method, int times) {
        midAnswer = true;
        cutAnswerStatus = 0;
        answerStatus = 0;
        cutMethod = method.contains(" ") ? method : method + " ";
        cutsLeft.set(times);
    }

    /**
     * As {@link #cut}, but the client is answered {@code status} (504: a gateway that gave up waiting) with a Kubernetes
     * Status body in place of the server's answer, on a connection that stays open.
     */
    public void answerInstead(String method, int times, int status) {
        midAnswer = false;
        cutAnswerStatus = 0;
        answerStatus = status;
        cutMethod = method.contains(" ") ? method : method + " ";
        cutsLeft.set(times);
    }

    /** The next {@code n} requests that a cut set up after this call would take pass through untouched first. */
    public void passFirst(int n) {
        passesLeft.set(n);
    }

    /**
     * As {@link #answerInstead}, but the connection is closed after the status line and headers ({@code beforeBody}) or
     * after half of the Status body: a gateway's or the API server's 5xx whose body never arrives whole.
     */
    public void answerThenCut(String method, int times, int status, boolean beforeBody) {
        midAnswer = false;
        answerStatus = 0;
        cutAnswerStatus = status;
        cutBeforeBody = beforeBody;
        cutMethod = method.contains(" ") ? method : method + " ";
        cutsLeft.set(times);
    }

    /**
     * From now on a WebSocket (an exec, a watch) gets the server's switch and first frame, then nothing more: the
     * server's later frames (an exec's exit status, its close) are held back until {@link #resetUpgrades()}.
     */
    public void holdUpgrades() {
        holdUpgrades = true;
    }

    /** WebSockets held now, each having passed on its first frame. */
    public int heldUpgrades() {
        return upgraded.size();
    }

    /** Resets every held WebSocket's connection, as a network blip does. */
    public void resetUpgrades() throws IOException {
        for (Socket sock : upgraded) {
            upgraded.remove(sock);
            sock.setSoLinger(true, 0);
            sock.close();
        }
    }

    /** Request lines ("PATCH /apis/...") that reached the server, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Requests of {@code method} (or starting so, as for {@link #cut}) that reached the server. */
    public long reached(String method) {
        String prefix = method.contains(" ") ? method : method + " ";
        return requests.stream().filter(r -> r.startsWith(prefix)).count();
    }

    public int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (refusing) {
                    reset(client);
                    continue;
                }
                open.add(client);
                daemon(() -> relay(client), "request-cutting-relay");
            } catch (IOException e) {
                return;
            }
        }
    }

    private void relay(Socket client) {
        try (Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            open.add(server);
            InputStream fromClient = client.getInputStream();
            OutputStream toClient = client.getOutputStream();
            InputStream fromServer = server.getInputStream();
            OutputStream toServer = server.getOutputStream();
            while (true) {
                String head = jsonOnly(withoutH2cUpgrade(head(fromClient)));
                if (head.isEmpty()) {
                    return;
                }
                byte[] body = body(fromClient, head);
                if (refusing) {
                    // a connection made while the proxy went away (accepted before its listener closed, or not yet reset):
                    // nothing more reaches the server
                    reset(client);
                    return;
                }
                String line = head.lines().findFirst().orElse("");
                requests.add(line.substring(0, line.lastIndexOf(' ')));
                if (line.startsWith("GET /openapi/")) {
                    answer(toClient, 404, "the mock server has no OpenAPI document");
                    continue;
                }
                toServer.write(head.getBytes(StandardCharsets.ISO_8859_1));
                toServer.write(body);
                toServer.flush();
                if (header(head, "upgrade").isPresent()) {
                    // a WebSocket (watch, exec): no more requests to tell apart on this connection
                    daemon(() -> copy(fromClient, toServer), "request-cutting-upgrade");
                    if (holdUpgrades) {
                        String switched = head(fromServer);
                        toClient.write(switched.getBytes(StandardCharsets.ISO_8859_1));
                        toClient.write(frame(fromServer));
                        toClient.flush();
                        upgraded.add(client);
                        fromServer.transferTo(OutputStream.nullOutputStream());
                        return;
                    }
                    copy(fromServer, toClient);
                    return;
                }
                String answerHead = typed(head(fromServer));
                byte[] answer = body(fromServer, answerHead);
                if (line.startsWith(cutMethod) && cutsLeft.get() > 0 && passesLeft.getAndUpdate(n -> Math.max(0, n - 1)) == 0
                        && cutsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    cuts.incrementAndGet();
                    if (answerStatus > 0) {
                        answer(toClient, answerStatus, "the gateway gave up");
                        continue;
                    }
                    if (cutAnswerStatus > 0) {
                        // closed, not reset: a reset can overtake the answer's start, which the client then never reads
                        answerInPart(toClient, cutAnswerStatus, cutBeforeBody);
                        client.close();
                        return;
                    }
                    if (midAnswer) {
                        toClient.write(answerHead.getBytes(StandardCharsets.ISO_8859_1));
                        toClient.write(answer, 0, answer.length / 2);
                        toClient.flush();
                    }
                    client.setSoLinger(true, 0);
                    client.close();
                    return;
                }
                toClient.write(answerHead.getBytes(StandardCharsets.ISO_8859_1));
                toClient.write(answer);
                toClient.flush();
                if (!refuseAfter.isEmpty() && line.startsWith(refuseAfter)) {
                    refuseAll(client);
                    return;
                }
            }
        } catch (IOException e) {
            // either side went away: the client's connection goes too
        } finally {
            try {
                client.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Stops listening and resets every connection but {@code answered}, which is closed after its answer. */
    private void refuseAll(Socket answered) throws IOException {
        refusing = true;
        listener.close();
        answered.close();
        for (Socket sock : open) {
            if (sock != answered && !sock.isClosed()) {
                sock.setSoLinger(true, 0);
                sock.close();
            }
        }
    }

    private static void reset(Socket sock) throws IOException {
        sock.setSoLinger(true, 0);
        sock.close();
    }

    /** A Kubernetes Status answer of the proxy's own. */
    private static void answer(OutputStream toClient, int code, String message) throws IOException {
        byte[] status = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + message
                + "\",\"code\":" + code + "}").getBytes(StandardCharsets.UTF_8);
        String phrase = code == 504 ? " Gateway Timeout" : code == 502 ? " Bad Gateway" : code == 404 ? " Not Found" : " Error";
        toClient.write(("HTTP/1.1 " + code + phrase + "\r\nContent-Type: application/json\r\nContent-Length: " + status.length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        toClient.write(status);
        toClient.flush();
    }

    /** A Kubernetes Status answer of the proxy's own whose body stops short (none of it, or half). */
    private static void answerInPart(OutputStream toClient, int code, boolean beforeBody) throws IOException {
        byte[] status = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"the gateway gave up\","
                + "\"code\":" + code + "}").getBytes(StandardCharsets.UTF_8);
        toClient.write(("HTTP/1.1 " + code + " Error\r\nContent-Type: application/json\r\nContent-Length: " + status.length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        if (!beforeBody) {
            toClient.write(status, 0, status.length / 2);
        }
        toClient.flush();
    }

    /** A request's or answer's start line and headers up to the empty line, or "" at the end of the stream. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int c; (c = in.read()) >= 0; ) {
            b.write(c);
            matched = c == end[matched] ? matched + 1 : c == '\r' ? 1 : 0;
            if (matched == 4) {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return "";
    }

    private static byte[] body(InputStream in, String head) throws IOException {
        if (header(head, "transfer-encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false)) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                String size = line(in, b);
                int n = Integer.parseInt(size.split(";")[0].strip(), 16);
                if (n == 0) {
                    while (!line(in, b).isEmpty()) {
                        // trailers
                    }
                    return b.toByteArray();
                }
                b.write(in.readNBytes(n));
                line(in, b);
            }
        }
        int length = header(head, "content-length").map(v -> Integer.parseInt(v.strip())).orElse(0);
        return in.readNBytes(length);
    }

    /** One WebSocket frame as the server sent it (unmasked): two header bytes, the extended length if any, the payload. */
    private static byte[] frame(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] start = in.readNBytes(2);
        b.write(start);
        long length = start[1] & 0x7f;
        if (length == 126 || length == 127) {
            byte[] ext = in.readNBytes(length == 126 ? 2 : 8);
            b.write(ext);
            length = 0;
            for (byte x : ext) {
                length = length << 8 | (x & 0xff);
            }
        }
        b.write(in.readNBytes((int) length));
        return b.toByteArray();
    }

    /** One CRLF-ended line, copied to {@code b} as it is; returned without its CRLF. */
    private static String line(InputStream in, ByteArrayOutputStream b) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            b.write(c);
            if (c == '\n') {
                return s.toString().strip();
            }
            s.append((char) c);
        }
        throw new IOException("stream ended in a chunked body");
    }

    /** The JDK client offers plain-HTTP servers an upgrade to HTTP/2 (h2c); kept to HTTP/1.1 here so requests can be told apart. */
    private static String withoutH2cUpgrade(String head) {
        if (!header(head, "upgrade").map(v -> v.equalsIgnoreCase("h2c")).orElse(false)) {
            return head;
        }
        StringBuilder out = new StringBuilder();
        for (String l : head.split("\r\n", -1)) {
            String lower = l.toLowerCase(Locale.ROOT);
            if (lower.startsWith("upgrade:") || lower.startsWith("http2-settings:")) {
                continue;
            }
            out.append(lower.startsWith("connection:") ? "Connection: keep-alive" : l).append("\r\n");
        }
        return out.substring(0, out.length() - 2);
    }

    /**
     * Helm's client-go asks for protobuf first; the mock server answers every Accept with JSON labelled as asked, which
     * client-go then cannot decode. Asked for JSON alone, it answers what it says.
     */
    private static String jsonOnly(String head) {
        return head.replaceAll("(?im)^accept: *application/vnd\\.kubernetes\\.protobuf[^\r\n]*", "Accept: application/json");
    }

    /** The mock server's answers carry no Content-Type, which client-go then reads as the protobuf it asked for. */
    private static String typed(String head) {
        if (head.isEmpty() || header(head, "content-type").isPresent()) {
            return head;
        }
        return head.substring(0, head.length() - 2) + "Content-Type: application/json\r\n\r\n";
    }

    private static java.util.Optional<String> header(String head, String name) {
        return head.lines().skip(1).filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name + ":"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst();
    }

    private static void copy(InputStream in, OutputStream out) {
        byte[] buf = new byte[16384];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed
        }
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
