package dev.opsctl.action.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.helm.HelmTarget;
import dev.opsctl.target.kube.KubeRef;
import dev.opsctl.target.kube.KubeTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The revisions of a {@code via: kube} release, one Secret each in the release's namespace, laid out as
 * Helm's own {@code sh.helm.release.v1.*} Secrets: name {@code opsctl.helm.<release>.v<N>}, labels
 * {@code owner=opsctl}, {@code name}, {@code status}, {@code version}. A record holds the applied manifest
 * (gzipped, as Helm stores its release), the chart's name and versions, and of the values only a SHA-256
 * digest, the values files' paths and the {@code set} keys: {@code set} values may be secrets, and a
 * rollback re-applies the manifest, so it never needs them.
 */
final class KubeReleaseRecords {
    static final String TYPE = "opsctl.dev/helm-release.v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One revision; {@code manifest} is what was applied. */
    record Record(long version, String status, String chart, String chartVersion, String appVersion, String description, String updated,
            String valuesDigest, String manifest) {
        Record withStatus(String s) {
            return new Record(version, s, chart, chartVersion, appVersion, description, updated, valuesDigest, manifest);
        }
    }

    private final KubeTarget kube;
    private final String release;
    private final String namespace;

    KubeReleaseRecords(KubeTarget kube, String release, String namespace) {
        this.kube = kube;
        this.release = release;
        this.namespace = namespace;
    }

    static String secretName(String release, long version) {
        return "opsctl.helm." + release + ".v" + version;
    }

    /** Oldest first. */
    List<Record> list() throws TargetException, InterruptedException {
        List<Record> out = new ArrayList<>();
        for (Map<String, Object> s : kube.list(KubeRef.selected("Secret", "owner=opsctl,name=" + release, namespace))) {
            Map<?, ?> labels = map(map(s.get("metadata")).get("labels"));
            Map<?, ?> data = map(s.get("data"));
            long version;
            try {
                version = Long.parseLong(String.valueOf(labels.get("version")));
            } catch (NumberFormatException e) {
                continue;
            }
            out.add(new Record(version, str(labels.get("status")), field(data, "chart"), field(data, "chart_version"), field(data, "app_version"),
                    field(data, "description"), field(data, "updated"), field(data, "values_sha256"), gunzip(str(data.get("manifest")))));
        }
        out.sort(Comparator.comparingLong(Record::version));
        return out;
    }

    static Optional<Record> latest(List<Record> records) {
        return records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1));
    }

    /**
     * Stores revision {@code last + 1} as deployed and marks every earlier deployed one superseded, as Helm does.
     * Returns the new revision's number.
     */
    long record(List<Record> existing, ChartMeta chart, String valuesDigest, List<String> valuesFiles, List<String> setKeys,
            String description, String manifest) throws TargetException, InterruptedException {
        long version = latest(existing).map(Record::version).orElse(0L) + 1;
        for (Record r : existing) {
            if (r.status().equals("deployed")) {
                kube.setMetadata(KubeRef.named("Secret", secretName(release, r.version()), namespace), true, Map.of("status", "superseded"));
            }
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put("chart", chart.name());
        data.put("chart_version", chart.version());
        data.put("app_version", chart.appVersion());
        data.put("description", description);
        data.put("updated", Instant.now().toString());
        data.put("values_sha256", valuesDigest);
        data.put("values_files", String.join("\n", valuesFiles));
        data.put("set_keys", String.join("\n", setKeys));
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((k, v) -> encoded.put(k, b64(v.getBytes(StandardCharsets.UTF_8))));
        encoded.put("manifest", b64(gzip(manifest)));
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        secret.put("metadata", Map.of("name", secretName(release, version), "namespace", namespace,
                "labels", Map.of("owner", "opsctl", "name", release, "status", "deployed", "version", Long.toString(version))));
        secret.put("type", TYPE);
        secret.put("data", encoded);
        try {
            kube.apply(JSON.writeValueAsString(secret), namespace);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a release record", e);
        }
        return version;
    }

    /** Uninstall without keeping history: Helm deletes every record of the release. */
    int deleteAll(List<Record> records) throws TargetException, InterruptedException {
        int n = 0;
        for (Record r : records) {
            n += kube.delete(KubeRef.named("Secret", secretName(release, r.version()), namespace), Optional.empty(),
                    java.util.OptionalLong.empty()).size();
        }
        return n;
    }

    /**
     * SHA-256 over the values files' paths and contents and the sorted {@code set} pairs: tells two revisions' values
     * apart without storing them. A digest of one short secret could be guessed, but it is hashed together with the files.
     */
    static String digest(HelmTarget.Chart chart) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path p : chart.valuesFiles()) {
                md.update((p + "\0").getBytes(StandardCharsets.UTF_8));
                md.update(Files.isReadable(p) ? Files.readAllBytes(p) : new byte[0]);
                md.update((byte) 0);
            }
            for (Map.Entry<String, String> e : new TreeMap<>(chart.set()).entrySet()) {
                md.update((e.getKey() + "=" + e.getValue() + "\0").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException | IOException e) {
            return "";
        }
    }

    private static String field(Map<?, ?> data, String key) {
        String v = str(data.get(key));
        return v.isEmpty() ? "" : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] gzip(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String gunzip(String base64) {
        if (base64.isEmpty()) {
            return "";
        }
        try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            return new String(z.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            return "";
        }
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }
}
