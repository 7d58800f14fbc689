package dev.opsctl.inventory;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.opsctl.source.Problem;
import dev.opsctl.source.Problems;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated inventories, read by opsctl and by the ansible-core installed here: both must accept or
 * both refuse each file, and where both accept, agree on the hosts of {@code all} in order, each
 * host's groups and each host's variables, types included. Ansible reads all the files in one
 * Python process (src/test/resources/ansible-inventory-dump.py), so a few hundred files take
 * seconds. The seed is printed with every failing file; {@code -Dopsctl.inventory.seed=N} replays
 * a run, {@code -Dopsctl.inventory.files=N} changes how many files of each kind are made,
 * {@code -Dopsctl.inventory.dir=DIR} keeps them there and {@code -Dopsctl.inventory.shown=N}
 * shows more than the first few that differ.
 */
class GeneratedInventoryFilesAgainstAnsibleTest {
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final long SEED = Long.getLong("opsctl.inventory.seed", 20_240_611L);
    private static final int FILES = Integer.getInteger("opsctl.inventory.files", 300);
    private static final int SHOWN = Integer.getInteger("opsctl.inventory.shown", 8);

    /**
     * Where opsctl refuses on purpose what Ansible reads: the refusal must say which of these it is.
     * Each is in the README's inventory paragraph.
     */
    private static final List<Pattern> DELIBERATE = List.of(
            // a connection opsctl cannot make would run the host another way than the inventory says
            Pattern.compile("has connection '.*', which opsctl does not support"),
            // Ansible keeps a port it cannot connect to and fails on the host when it runs
            Pattern.compile("must be a port number \\(1-65535\\)"),
            // Ansible warns and skips a group that is not a mapping, or a key it does not know: a typo
            // ('host:' for 'hosts:') would drop hosts without a word
            Pattern.compile("^group '[^']*' must be a mapping, not"),
            Pattern.compile("^unknown key '[^']*' in group '"),
            // Ansible warns and keeps the last of two equal keys
            Pattern.compile("^duplicate key '"));

    @TempDir
    static Path tmp;
    private static Path dir;

    @Test
    void opsctlReadsGeneratedInventoriesAsAnsibleDoes() throws Exception {
        Optional<String> python = AnsibleDumpScript.python();
        AnsibleDumpScript.assumeInstalled(python.isPresent());
        dir = Files.createDirectories(Path.of(System.getProperty("opsctl.inventory.dir", tmp.toString())));
        GeneratedInventories generator = new GeneratedInventories(SEED);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            files.add(write(String.format("gen-%03d.ini", i), generator.ini()));
            files.add(write(String.format("gen-%03d.yml", i), generator.yaml()));
        }
        Map<String, JsonNode> ansible = ansibleReads(python.get(), files);

        List<String> divergences = new ArrayList<>();
        Map<String, Integer> acceptedByKind = new TreeMap<>();
        int accepted = 0;
        for (Path file : files) {
            JsonNode theirs = ansible.get(file.toString());
            Problems problems = new Problems();
            accepted += theirs.path("accepted").asBoolean() ? 1 : 0;
            acceptedByKind.merge(file.toString().substring(file.toString().lastIndexOf('.') + 1),
                    theirs.path("accepted").asBoolean() ? 1 : 0, Integer::sum);
            try {
                Optional<Inventory> ours = InventoryLoader.load(file, problems);
                divergence(theirs, ours, problems).ifPresent(d -> divergences.add(report(file, d, theirs, problems)));
            } catch (RuntimeException e) {
                divergences.add(report(file, "opsctl crashed: " + e, theirs, problems));
            }
        }
        System.out.println(files.size() + " generated inventories (seed " + SEED + "), of each kind Ansible reads " + acceptedByKind);
        if (!divergences.isEmpty()) {
            fail(divergences.size() + " of " + files.size() + " generated inventories (seed " + SEED
                    + ", -Dopsctl.inventory.seed to replay) are read otherwise than Ansible reads them; the first "
                    + Math.min(SHOWN, divergences.size()) + ":\n\n" + String.join("\n\n", divergences.subList(0, Math.min(SHOWN, divergences.size()))));
        }
        assertTrue(accepted > files.size() / 5 && accepted < files.size() * 4 / 5,
                "the grammar should mix files Ansible reads and refuses; it reads " + accepted + " of " + files.size());
    }

    /** What differs between Ansible's reading of a file and opsctl's, if anything. */
    private static Optional<String> divergence(JsonNode theirs, Optional<Inventory> ours, Problems problems) {
        boolean ansibleAccepts = theirs.path("accepted").asBoolean();
        if (!ansibleAccepts) {
            if (ours.isPresent()) {
                return Optional.of("Ansible refuses it, opsctl reads it");
            }
            if (problems.sorted().stream().noneMatch(p -> p.pos().line() > 0 && p.pos().col() > 0)) {
                return Optional.of("opsctl refuses it, as Ansible does, but says no line:col");
            }
            return Optional.empty();
        }
        if (ours.isEmpty()) {
            List<Problem> undeliberate = problems.sorted().stream()
                    .filter(p -> DELIBERATE.stream().noneMatch(d -> d.matcher(p.message()).find())).toList();
            return undeliberate.isEmpty() ? Optional.empty() : Optional.of("Ansible reads it, opsctl refuses it");
        }
        if (theirs.has("unprintable")) {
            return Optional.empty(); // ansible-inventory --list cannot print it either
        }
        Inventory inv = ours.get();
        List<String> listed = new ArrayList<>();
        theirs.path("hosts").forEach(h -> listed.add(h.asText()));
        List<String> hosts = listed;
        List<String> ourHosts = inv.hosts().stream().map(Host::name).toList();
        if (theirs.path("parents").size() > 1) {
            // Ansible takes the groups below the second level from a set of Group objects, which hash by
            // identity, so the order among their hosts is not Ansible's to repeat (README: inventories).
            hosts = hosts.stream().sorted().toList();
            ourHosts = ourHosts.stream().sorted().toList();
        }
        if (!hosts.equals(ourHosts)) {
            return Optional.of("hosts of all: Ansible " + hosts + ", opsctl " + ourHosts);
        }
        List<String> out = new ArrayList<>();
        for (Host h : inv.hosts()) {
            List<String> groups = new ArrayList<>();
            theirs.path("groups").path(h.name()).forEach(g -> groups.add(g.asText()));
            List<String> ourGroups = h.groups().stream().sorted().toList();
            if (!groups.equals(ourGroups)) {
                out.add("groups of " + h.name() + ": Ansible " + groups + ", opsctl " + ourGroups);
            }
            Object vars = comparable(JSON.convertValue(theirs.path("vars").path(h.name()), Object.class));
            Object ourVars = comparable(h.vars());
            if (!vars.equals(ourVars)) {
                out.add("vars of " + h.name() + ": Ansible " + json(vars) + ", opsctl " + json(ourVars));
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", out));
    }

    /**
     * A value as both sides can state it: integers as BigInteger, other numbers as Double, keys
     * sorted; Ansible's null as "", which is how opsctl holds a variable set to nothing.
     */
    private static Object comparable(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), comparable(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(GeneratedInventoryFilesAgainstAnsibleTest::comparable).toList();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return new BigInteger(value.toString());
        }
        if (value instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return value;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String report(Path file, String divergence, JsonNode theirs, Problems problems) {
        String ansible = theirs.path("accepted").asBoolean() ? "reads it" : theirs.path("error").asText().strip();
        String opsctl = problems.isEmpty() ? "reads it" : problems.render().strip();
        return "--- " + file.getFileName() + " (seed " + SEED + "): " + divergence + "\n" + read(file)
                + "--- Ansible: " + ansible + "\n--- opsctl: " + opsctl;
    }

    /** Ansible's reading of each file, by path, from one run of the dump script. */
    private static Map<String, JsonNode> ansibleReads(String python, List<Path> files) throws Exception {
        Map<String, JsonNode> byFile = new LinkedHashMap<>();
        for (JsonNode record : AnsibleDumpScript.run(python, "ansible-inventory-dump.py", dir, files.stream().map(Path::toString).toList())) {
            byFile.put(record.path("file").asText(), record);
        }
        return byFile;
    }

    private static Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
