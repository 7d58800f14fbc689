package dev.opsctl.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.testhost.DockerTestHosts;
import dev.opsctl.testhost.HostExec;
import dev.opsctl.testhost.TestHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a test can find out about a test host from outside the rollout: files, Docker, the app. */
final class HostFacts {
    static final List<String> CONFIG_FILES = List.of("/etc/docker/daemon.json", "/etc/subuid", "/etc/subgid");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The files the rollout changes, byte for byte with their modes; the backups beside them; the dockremap user. */
    record Snapshot(Map<String, FileState> files, List<String> backups, String dockremap) {}

    /** A file's mode and owner ({@code 644 root:root}) and its content. */
    record FileState(String mode, String content) {}

    /** /health: the status and the warm pool size it reports (-1 when the body has none). */
    record Health(int status, long warmPool) {}

    private final DockerTestHosts hosts;

    HostFacts(DockerTestHosts hosts) {
        this.hosts = hosts;
    }

    Snapshot snapshot(TestHost h) {
        Map<String, FileState> files = new LinkedHashMap<>();
        for (String f : CONFIG_FILES) {
            HostExec r = exec(h, "stat -c '%a %U:%G' " + f + " && base64 -w0 " + f);
            String[] lines = r.stdout().split("\n", 2);
            files.put(f, new FileState(lines[0], new String(Base64.getDecoder().decode(lines.length > 1 ? lines[1].strip() : ""),
                    java.nio.charset.StandardCharsets.UTF_8)));
        }
        List<String> backups = exec(h, "ls -1d /etc/docker/daemon.json.bak.* /etc/subuid.bak.* /etc/subgid.bak.* 2>/dev/null || true")
                .stdout().lines().filter(l -> !l.isBlank()).sorted().toList();
        String dockremap = exec(h, "getent passwd dockremap || true").stdout().strip();
        return new Snapshot(files, backups, dockremap);
    }

    /** Copies the three files to {@code <file>.bak.pre-rollout}, as section 3.2 asks before the rollout. */
    void takeOperatorBackups(TestHost h) {
        StringBuilder cmd = new StringBuilder("set -e");
        CONFIG_FILES.forEach(f -> cmd.append("; cp -p ").append(f).append(' ').append(f).append(".bak.pre-rollout"));
        exec(h, cmd.toString());
    }

    boolean usernsOn(TestHost h) {
        return exec(h, "docker info --format '{{json .SecurityOptions}}'").stdout().contains("name=userns");
    }

    String dockerState(TestHost h) {
        return hosts.exec(h, "systemctl is-active docker").stdout().strip();
    }

    /** The uid_map of a fresh container, as 'inside outside count'. */
    String containerUidMap(TestHost h) {
        String out = exec(h, "set -e; cid=$(docker run -d --network none workspace-base:latest sleep 30);"
                + " cat /proc/$(docker inspect -f '{{.State.Pid}}' $cid)/uid_map; docker rm -f $cid >/dev/null").stdout();
        return String.join(" ", out.strip().split("\\s+"));
    }

    JsonNode daemonJson(TestHost h) {
        try {
            return JSON.readTree(exec(h, "cat /etc/docker/daemon.json").stdout());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Health health(TestHost h) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(h.app("/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Health(r.statusCode(), JSON.readTree(r.body()).path("warm_pool_size").asLong(-1));
        } catch (IOException e) {
            return new Health(-1, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HostExec exec(TestHost h, String command) {
        return hosts.exec(h, command).orFail();
    }
}
