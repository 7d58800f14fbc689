package dev.opsctl.inventory;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.opsctl.source.Problems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated host patterns over a few fixed inventories ({@link HostPatternGrammar}), evaluated by
 * opsctl and by the ansible-core installed here: as a play's {@code hosts:} (the hosts in the order
 * Ansible runs them) and as {@code -l} (the hosts of {@code all} the pattern keeps). opsctl must
 * select the same hosts in the same order, or refuse where Ansible drops a term that matches
 * nothing, stops, or selects nothing. Ansible evaluates every pattern in one Python process
 * (src/test/resources/ansible-pattern-dump.py). The seed is printed with every divergence;
 * {@code -Dopsctl.patterns.seed=N} replays a run, {@code -Dopsctl.patterns.count=N} changes how
 * many patterns each inventory gets and {@code -Dopsctl.patterns.shown=N} shows more divergences.
 */
class HostPatternGrammarAgainstAnsibleTest {
    private static final JsonMapper JSON = new JsonMapper();
    private static final long SEED = Long.getLong("opsctl.patterns.seed", 20_241_124L);
    private static final int PATTERNS = Integer.getInteger("opsctl.patterns.count", 150);
    private static final int SHOWN = Integer.getInteger("opsctl.patterns.shown", 10);

    @TempDir
    static Path dir;

    private interface Selection {
        List<Host> hosts() throws HostPatternException;
    }

    @Test
    void opsctlSelectsTheHostsAnsibleSelects() throws Exception {
        Optional<String> python = AnsibleDumpScript.python();
        AnsibleDumpScript.assumeInstalled(python.isPresent());
        HostPatternGrammar grammar = new HostPatternGrammar(SEED);
        Map<String, Inventory> inventories = new LinkedHashMap<>();
        List<Map<String, String>> requests = new ArrayList<>();
        for (Map.Entry<String, String> e : HostPatternGrammar.INVENTORIES.entrySet()) {
            Path file = Files.writeString(dir.resolve(e.getKey()), e.getValue());
            Problems problems = new Problems();
            inventories.put(file.toString(), InventoryLoader.load(file, problems).orElseThrow(() -> new AssertionError(problems.render())));
            for (int i = 0; i < PATTERNS; i++) {
                requests.add(Map.of("file", file.toString(), "pattern", grammar.pattern(e.getKey())));
            }
        }
        List<JsonNode> answers = ansibleEvaluates(python.get(), requests);

        List<String> divergences = new ArrayList<>();
        int refused = 0;
        for (JsonNode theirs : answers) {
            Inventory inv = inventories.get(theirs.path("file").asText());
            String pattern = theirs.path("pattern").asText();
            boolean ordered = theirs.path("ordered").asBoolean();
            Optional<String> play = divergence(pattern, theirs, theirs.path("play"), ordered, () -> HostPattern.select(inv, pattern));
            Optional<String> limit = divergence(pattern, theirs, theirs.path("limit"), ordered,
                    () -> HostPattern.parse(pattern).limit(inv, inv.hosts()));
            play.ifPresent(d -> divergences.add(report("hosts: '" + pattern + "'", d, inv)));
            limit.ifPresent(d -> divergences.add(report("-l '" + pattern + "'", d, inv)));
            refused += refuses(() -> HostPattern.select(inv, pattern)) ? 1 : 0;
        }
        System.out.println(answers.size() + " generated host patterns (seed " + SEED + "), opsctl refuses " + refused);
        if (!divergences.isEmpty()) {
            fail(divergences.size() + " selections of " + answers.size() + " generated patterns (seed " + SEED
                    + ", -Dopsctl.patterns.seed to replay) differ from Ansible's; the first " + Math.min(SHOWN, divergences.size())
                    + ":\n\n" + String.join("\n\n", divergences.subList(0, Math.min(SHOWN, divergences.size()))));
        }
        assertTrue(refused > answers.size() / 10 && refused < answers.size() * 3 / 4,
                "the grammar should mix patterns opsctl refuses and patterns it selects with; it refuses " + refused);
    }

    /** What differs between Ansible's selection and opsctl's, if anything. */
    private static Optional<String> divergence(String pattern, JsonNode record, JsonNode theirs, boolean ordered, Selection ours) {
        if (HostPatternTerms.split(pattern).isEmpty()) {
            // Deliberate: Ansible reads a pattern without terms (',', ' : ') as 'all'.
            return refusal(ours, List.of("empty host pattern"), "Ansible selects " + theirs);
        }
        if (theirs.has("error")) {
            return refusal(ours, List.of(""), "Ansible stops: " + theirs.path("error").asText());
        }
        // Deliberate, each (README: inventories): what Ansible drops or makes up, opsctl refuses, saying why.
        List<String> reasons = new ArrayList<>(texts(theirs.path("unmatched")));
        if (!record.path("only_empty_groups").isEmpty()) {
            reasons.add("matches only empty groups");
        }
        if (theirs.path("implicit").asBoolean()) {
            reasons.add("implicit localhost");
        }
        if (!reasons.isEmpty()) {
            return refusal(ours, reasons, "Ansible drops or makes up " + reasons + " and selects " + theirs.path("hosts"));
        }
        if (!ordered && subscripted(pattern)) {
            // Ansible's order of these groups' hosts follows object identity (README: inventories), and so
            // does which of them a subscript picks.
            return Optional.empty();
        }
        List<String> hosts = texts(theirs.path("hosts"));
        if (hosts.isEmpty()) {
            return refusal(ours, List.of(""), "Ansible selects no hosts");
        }
        List<String> ourHosts;
        try {
            ourHosts = ours.hosts().stream().map(Host::name).toList();
        } catch (HostPatternException e) {
            return Optional.of("Ansible selects " + hosts + ", opsctl refuses: " + e.getMessage());
        }
        if (!ordered) {
            // Ansible's order of these groups' hosts follows object identity (README: inventories).
            hosts = hosts.stream().sorted().toList();
            ourHosts = ourHosts.stream().sorted().toList();
        }
        return hosts.equals(ourHosts) ? Optional.empty() : Optional.of("Ansible selects " + hosts + ", opsctl " + ourHosts);
    }

    private static boolean subscripted(String pattern) {
        return HostPatternTerms.split(pattern).stream().anyMatch(t -> HostSubscript.of(t.replaceFirst("^[&!]", "")).isPresent());
    }

    /** Nothing if opsctl refuses with a message that says one of {@code reasons}, else what it did. */
    private static Optional<String> refusal(Selection ours, List<String> reasons, String ansible) {
        try {
            return Optional.of(ansible + "; opsctl selects " + ours.hosts().stream().map(Host::name).toList());
        } catch (HostPatternException e) {
            return reasons.stream().anyMatch(e.getMessage()::contains) ? Optional.empty()
                    : Optional.of(ansible + "; opsctl refuses without saying any of " + reasons + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return Optional.of(ansible + "; opsctl crashes: " + e);
        }
    }

    private static boolean refuses(Selection ours) {
        try {
            ours.hosts();
            return false;
        } catch (HostPatternException | RuntimeException e) {
            return true;
        }
    }

    private static String report(String what, String divergence, Inventory inv) {
        return "--- " + what + " in " + Path.of(inv.source()).getFileName() + " (seed " + SEED + "): " + divergence + "\n"
                + HostPatternGrammar.INVENTORIES.get(Path.of(inv.source()).getFileName().toString());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Ansible's evaluation of each request, in order, from one run of the dump script. */
    private static List<JsonNode> ansibleEvaluates(String python, List<Map<String, String>> requests) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Map<String, String> r : requests) {
            lines.add(JSON.writeValueAsString(r));
        }
        return AnsibleDumpScript.run(python, "ansible-pattern-dump.py", dir, lines);
    }
}
