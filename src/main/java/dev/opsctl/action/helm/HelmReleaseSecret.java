package dev.opsctl.action.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.kube.KubeRef;
import dev.opsctl.target.kube.KubeTarget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Helm 3's record of one release revision: the Secret {@code sh.helm.release.v1.<name>.v<rev>} (labels
 * {@code owner=helm}, {@code name}, {@code version}), whose {@code release} is base64 of gzip of the release
 * JSON ({@code chart}, {@code config}, {@code manifest}, ...), itself base64 again as Secret data.
 */
final class HelmReleaseSecret {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HelmReleaseSecret() {}

    static String secretName(String release, long version) {
        return "sh.helm.release.v1." + release + ".v" + version;
    }

    /** The release's revision numbers Helm recorded, ascending. */
    static List<Long> versions(KubeTarget kube, String release, String namespace) throws TargetException, InterruptedException {
        return kube.list(KubeRef.selected("Secret", "owner=helm,name=" + release, namespace)).stream()
                .map(s -> at(s, "metadata", "labels") instanceof Map<?, ?> l ? String.valueOf(l.get("version")) : "")
                .filter(v -> v.matches("[0-9]{1,18}")).map(Long::parseLong).sorted().toList();
    }

    /** The release JSON of one revision; empty when Helm has no such Secret. */
    static Optional<JsonNode> read(KubeTarget kube, String release, String namespace, long version) throws TargetException, InterruptedException {
        Optional<Map<String, Object>> s = kube.get(KubeRef.named("Secret", secretName(release, version), namespace));
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Object data = at(s.get(), "data", "release");
        if (data == null) {
            throw HelmCall.failed("secret '" + secretName(release, version) + "' has no 'release' data: not a Helm 3 release record");
        }
        try {
            return Optional.of(decode(new String(Base64.getDecoder().decode(String.valueOf(data)), java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (IllegalArgumentException | IOException e) {
            throw HelmCall.failed("cannot read secret '" + secretName(release, version) + "' as a Helm release: " + e.getMessage());
        }
    }

    /** Helm's encoding ({@code storage/driver/util.go}): base64, then gzip when the gzip magic is there, then JSON. */
    static JsonNode decode(String helmEncoded) throws IOException {
        byte[] b = Base64.getDecoder().decode(helmEncoded.strip());
        if (b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(b))) {
                b = z.readAllBytes();
            }
        }
        return JSON.readTree(b);
    }

    private static Object at(Map<String, Object> o, String... path) {
        Object cur = o;
        for (String k : path) {
            cur = cur instanceof Map<?, ?> m ? m.get(k) : null;
        }
        return cur;
    }
}
