package dev.opsctl.runbook.load;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.opsctl.source.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Property test over 20,000 seeded random mutations of the valid fixtures (deleted, inserted and duplicated
 * characters, swapped lines, changed indentation, stray YAML fragments): the loader never throws, gives
 * a runbook exactly when it found no problem, and every problem has a position in a file it read and
 * renders. A failure prints the seed and the mutated text, so it can be replayed.
 */
class RunbookLoaderFuzzTest {
    private static final long SEED = 0x5eed_0b5L;
    private static final int CASES = 20_000;
    /** On a loaded build machine the run stops early, after at least MIN_CASES; case i is the same either way. */
    private static final java.time.Duration TIME_BUDGET = java.time.Duration.ofSeconds(15);
    private static final int MIN_CASES = 4_000;
    private static final Path VALID = Path.of("src/test/resources/runbooks/valid");
    private static final String CHARS = " \n\t:-{}[]\"'|>#%&*!,?.aZ09_{}";
    private static final List<String> FRAGMENTS = List.of(
            "retries: x", "- shell: {{", "steps:", "- include: full.yaml", "- include: parts/deploy-steps.yaml", "include: {file: 3}",
            "when: \"((\"", "until: \"status ==\"", "serial: [\"101%\", -1]", "window: \"25:00-26:00 Mars/Base\"", "&a [*a, *a]",
            "? [complex]\n: key", "!!binary aGk=", "params: {x: {type: list, default: 1}}", "- id: drain\n  shell: x",
            "triggers: [{name: t, when: {step: nope}}]", "vars: {a: [1, {b: c}]}", "echo {{ steps.x.y }} {{ params }}", "---\nsecond: doc",
            "gates: {before_run: [x, 1, {a: b}]}", "\"unterminated", "- {{ host.vars.a }}", "timeout: 99999999999999999999d",
            "on: elsewhere", "register: steps", "kind: Steps", "apiVersion: 2");

    @Test
    void neverThrowsAndAlwaysReportsWithPositions() throws IOException {
        List<Path> seeds;
        try (Stream<Path> files = Files.list(VALID)) {
            seeds = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        List<String> texts = new ArrayList<>();
        for (Path p : seeds) {
            texts.add(Files.readString(p, StandardCharsets.UTF_8));
        }
        RunbookLoader loader = new RunbookLoader(TestRegistry.create(), TestRegistry.CHECKLISTS);
        Random random = new Random(SEED);
        int loaded = 0;
        int ran = 0;
        long deadline = System.nanoTime() + TIME_BUDGET.toNanos();
        for (int i = 0; i < CASES && (i < MIN_CASES || System.nanoTime() < deadline); i++, ran++) {
            int which = random.nextInt(seeds.size());
            String text = texts.get(which);
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                text = mutate(text, random);
            }
            Path dir = seeds.get(which).getParent();
            String display = "fuzz/case-" + i + ".yaml";
            try {
                LoadResult result = loader.load(display, text, dir);
                loaded += result.ok() ? 1 : 0;
                check(result, display, text);
            } catch (RuntimeException | AssertionError e) {
                fail("case " + i + " (seed " + SEED + ", from " + seeds.get(which) + ") failed on:\n" + text, e);
            }
        }
        // the mutations must leave some runbooks loadable, or the property says little about valid input
        assertTrue(loaded > ran / 20, "only " + loaded + " of " + ran + " mutated runbooks loaded");
    }

    private static void check(LoadResult result, String display, String text) {
        if (result.ok()) {
            assertTrue(result.problems().isEmpty(), result.problems().render());
            return;
        }
        assertFalse(result.problems().isEmpty(), "no runbook and no problem");
        String rendered = result.problems().render();
        int lines = text.split("\r?\n", -1).length;
        for (Problem p : result.problems().sorted()) {
            assertTrue(p.pos().isKnown(), "problem without a position: " + p.headline());
            if (p.pos().file().equals(display)) {
                assertTrue(p.pos().line() <= lines, "line " + p.pos().line() + " beyond the text (" + lines + "): " + p.headline());
            }
            assertTrue(rendered.contains(p.headline()), p.headline());
            assertFalse(p.message().isBlank());
        }
    }

    static String mutate(String text, Random r) {
        if (text.isEmpty()) {
            return FRAGMENTS.get(r.nextInt(FRAGMENTS.size()));
        }
        int at = r.nextInt(text.length());
        switch (r.nextInt(7)) {
            case 0:
                return text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + r.nextInt(5)));
            case 1:
                return text.substring(0, at) + CHARS.charAt(r.nextInt(CHARS.length())) + text.substring(at);
            case 2: {
                int end = Math.min(text.length(), at + 1 + r.nextInt(40));
                return text.substring(0, end) + text.substring(at, end) + text.substring(end);
            }
            case 3: {
                List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
                int a = r.nextInt(lines.size());
                int b = r.nextInt(lines.size());
                String t = lines.get(a);
                lines.set(a, lines.get(b));
                lines.set(b, t);
                return String.join("\n", lines);
            }
            case 4: {
                List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
                int a = r.nextInt(lines.size());
                String line = lines.get(a);
                lines.set(a, r.nextBoolean() ? " ".repeat(1 + r.nextInt(3)) + line : line.replaceFirst("^ {1,3}", ""));
                return String.join("\n", lines);
            }
            default: {
                List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
                int a = r.nextInt(lines.size() + 1);
                String indent = a < lines.size() ? lines.get(Math.max(0, a - 1)).replaceAll("^( *).*", "$1") : "";
                lines.add(a, indent + FRAGMENTS.get(r.nextInt(FRAGMENTS.size())).replace("\n", "\n" + indent));
                return String.join("\n", lines);
            }
        }
    }
}
