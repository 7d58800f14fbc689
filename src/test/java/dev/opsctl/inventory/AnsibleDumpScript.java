package dev.opsctl.inventory;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one of the test resources' Python scripts that ask ansible-core itself (InventoryManager) many
 * questions in one process: one request per line in, one JSON answer per line out, with Ansible's
 * configuration, home and temp directories isolated in {@code dir}.
 */
final class AnsibleDumpScript {
    /** Python's json module writes inf and nan as Infinity and NaN. */
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private AnsibleDumpScript() {}

    /**
     * Skips the calling test where Ansible is missing, except under {@code CI=true}, where that fails:
     * CI installs ansible-core (cli/opsctl-test), and a differential test skipped there compares nothing.
     */
    static void assumeInstalled(boolean installed) {
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("Ansible is not installed and CI=true: cli/opsctl-test installs ansible-core");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(installed, "Ansible is not installed");
    }

    /** The interpreter of the ansible-inventory on PATH, whose Python has the ansible package. */
    static Optional<String> python() throws IOException {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path cli = Path.of(d, "ansible-inventory");
            if (Files.isExecutable(cli)) {
                String first = Files.readAllLines(cli, StandardCharsets.ISO_8859_1).get(0);
                return first.startsWith("#!") ? Optional.of(first.substring(2).strip().split("\\s+")[0]) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The answers to {@code requests}, in order; fails unless the script answered every one. */
    static List<JsonNode> run(String python, String script, Path dir, List<String> requests) throws Exception {
        Path path = Path.of("src/test/resources", script).toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(python, path.toString()).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
        Files.createDirectories(dir.resolve("home"));
        env.put("HOME", dir.resolve("home").toString());
        env.put("ANSIBLE_CONFIG", Files.writeString(dir.resolve("ansible.cfg"), "").toString());
        env.put("ANSIBLE_HOME", dir.resolve("ansible-home").toString());
        env.put("ANSIBLE_LOCAL_TEMP", dir.resolve("ansible-tmp").toString());
        env.put("PYTHONHASHSEED", "0");
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        try (var in = p.getOutputStream()) {
            for (String r : requests) {
                in.write((r + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        int rc = p.waitFor();
        List<JsonNode> answers = new ArrayList<>();
        for (String line : out.get().lines().toList()) {
            answers.add(JSON.readTree(line));
        }
        if (rc != 0 || answers.size() != requests.size()) {
            fail(script + " exited " + rc + " with " + answers.size() + " of " + requests.size() + " records:\n" + err.get());
        }
        return answers;
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
