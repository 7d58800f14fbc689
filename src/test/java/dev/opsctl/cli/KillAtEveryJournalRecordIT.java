package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code opsctl run} is SIGKILLed right after each record its journal makes durable, one run per
 * point, from the first fsync to the last (strace stops the process at each; {@link KilledAtFsync});
 * then {@code opsctl runs resume} must finish the run as if it had never died: no step journaled as
 * finished runs again, what it registered is used as it was, a step the kill cut short is run again
 * only when the operator says so, and a trigger that had decided to roll the host back is carried out
 * rather than the host going on past it.
 */
class KillAtEveryJournalRecordIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** More fsyncs than any of these runs makes: the loop ends when a run exits by itself. */
    private static final int MAX_POINTS = 40;

    @TempDir
    Path tmp;

    private static final String STEPS = """
            apiVersion: opsctl/v1
            kind: Runbook
            metadata: {name: killed}
            params:
              dir: {type: string}
            %s
            steps:
              - id: one
                shell: echo one >> {{ dir }}/log
              - id: two
                shell: echo "token-$$" | tee -a {{ dir }}/log
                register: token
              - id: three
                shell: echo "three-{{ token.stdout }}" >> {{ dir }}/log
                idempotent: true
              - id: four
                shell: echo four >> {{ dir }}/log
            rollback:
              - id: undo
                shell: echo "undo-{{ default(token.stdout, 'none') }}" >> {{ dir }}/log
            """;

    /** Fires once step two finished while {@code dir/health} says down; the point of the kill decides the rest. */
    private static final String HEALTH_TRIGGER = """
            triggers:
              - name: unhealthy
                after: two
                probe: {shell: "cat {{ dir }}/health"}
                when: "stdout == 'down'"
                then: rollback
            """;

    @Test
    void aRunKilledAfterAnyJournalRecordResumesWithoutRunningAFinishedStepAgain() throws Exception {
        Path runbook = Files.writeString(tmp.resolve("killed.yaml"), STEPS.formatted(""));
        int points = 0;
        for (int n = 2; n <= MAX_POINTS; n++) { // 1: the empty journal, below
            Point p = killAt(runbook, n);
            if (!p.ending.killed()) {
                assertEquals(0, p.ending.exitCode(), p.dir.toString());
                break;
            }
            points++;
            List<String> before = p.log();
            Resumed r = p.resumeToTheEnd();
            assertEquals(0, r.exit, p.where() + r.output);
            List<String> after = p.log();
            for (String step : p.finishedBeforeTheKill()) {
                assertEquals(runs(before, step), runs(after, step), p.where() + "step '" + step + "' ran again: " + after);
            }
            for (String step : List.of("one", "two", "three", "four")) {
                assertTrue(runs(after, step) >= 1, p.where() + "step '" + step + "' never ran: " + after);
            }
            String token = after.stream().filter(l -> l.startsWith("token-")).reduce((a, b) -> b).orElseThrow();
            assertTrue(after.contains("three-" + token), p.where() + "step three read step two's registered output: " + after);
            assertFalse(after.stream().anyMatch(l -> l.startsWith("undo")), p.where() + after);
        }
        assertTrue(points >= 12, "a kill after each of the run's records (" + points + " points)");
    }

    @Test
    void aTriggerThatDecidedARollbackBeforeTheKillIsCarriedOutByTheResume() throws Exception {
        Path runbook = Files.writeString(tmp.resolve("killed.yaml"), STEPS.formatted(HEALTH_TRIGGER));
        int decided = 0;
        int notFired = 0;
        // the points before the firing are the steps the test above kills at: start one record before it
        for (int n = Math.max(2, recordsBeforeTheFiring(runbook)); n <= MAX_POINTS; n++) {
            Point p = killAt(runbook, n);
            if (!p.ending.killed()) {
                assertEquals(3, p.ending.exitCode(), "the trigger rolls the host back: " + p.dir);
                break;
            }
            List<String> journal = p.journalBeforeTheKill();
            boolean fired = journal.contains("trigger-fired");
            boolean rollbackStarted = journal.contains("rollback-started");
            // the app is healthy again by the time the operator resumes: only a decision already taken rolls back
            Files.writeString(p.dir.resolve("health"), "up\n");
            Resumed r = p.resumeToTheEnd();
            List<String> log = p.log();
            if (!fired) {
                notFired++;
                assertEquals(0, r.exit, p.where() + r.output);
                assertTrue(log.contains("four") && log.stream().noneMatch(l -> l.startsWith("undo")), p.where() + log);
            } else if (!rollbackStarted) {
                decided++;
                assertEquals(3, r.exit, p.where() + r.output);
                assertFalse(log.contains("four"), p.where() + "the host went on past the trigger's rollback: " + log);
                String token = log.stream().filter(l -> l.startsWith("token-")).findFirst().orElseThrow();
                assertEquals(1, count(log, "undo-" + token), p.where() + log);
                assertTrue(r.output.contains("trigger 'unhealthy' fired on host 'localhost' before opsctl stopped"), r.output);
            } else {
                assertFalse(log.contains("four"), p.where() + log);
                assertTrue(r.exit == 3 || r.exit == 4, p.where() + r.output);
            }
        }
        assertTrue(decided >= 2, "killed between the firing and the rollback (" + decided + " points)");
        assertTrue(notFired >= 1, "killed before the firing too (" + notFired + " points)");
    }

    /** How many records a run of {@code runbook} left to die makes before its trigger fires (it is killed after fsync n+1). */
    private int recordsBeforeTheFiring(Path runbook) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("whole"));
        Files.writeString(dir.resolve("health"), "down\n");
        return recordsBeforeTheFiring(dir, java("run", runbook.toString(), "-e", "dir=" + dir, "--yes", "--state-dir",
                dir.resolve("state").toString()));
    }

    /** The same of {@code command}, run whole in {@code dir}, which the caller prepared. */
    private int recordsBeforeTheFiring(Path dir, List<String> command) throws Exception {
        Point whole = new Point(dir, KilledAtFsync.run(command, dir, 4 * MAX_POINTS));
        assertFalse(whole.ending.killed(), whole.where());
        int at = whole.journalBeforeTheKill().indexOf("trigger-fired");
        assertTrue(at > 0, whole.where());
        return at;
    }

    /** Three local hosts one at a time; web3's health is down after 'one', which rolls back every host that ran. */
    private static final String ROLLBACK_ALL = """
            apiVersion: opsctl/v1
            kind: Runbook
            metadata: {name: killed-all}
            params:
              dir: {type: string}
            strategy: {serial: 1}
            triggers:
              - name: unhealthy
                after: one
                probe: {shell: "cat {{ dir }}/health-{{ host.name }}"}
                when: "stdout == 'down'"
                then: rollback-all
            steps:
              - id: one
                shell: echo "one-{{ host.name }}" >> {{ dir }}/log
              - id: two
                shell: echo "two-{{ host.name }}" >> {{ dir }}/log
            rollback:
              - id: undo
                shell: echo "undo-{{ host.name }}" >> {{ dir }}/log
            """;

    private static final List<String> WEB = List.of("web1", "web2", "web3");

    @Test
    void aRollbackOfEveryHostDecidedBeforeTheKillIsFinishedByTheResumeOnceForEachHost() throws Exception {
        Path runbook = Files.writeString(tmp.resolve("killed-all.yaml"), ROLLBACK_ALL);
        Path inventory = Files.writeString(tmp.resolve("inventory.yaml"), """
                apiVersion: opsctl/v1
                kind: Inventory
                hosts:
                  web1: {address: 127.0.0.1, connection: local}
                  web2: {address: 127.0.0.1, connection: local}
                  web3: {address: 127.0.0.1, connection: local}
                """);
        int owed = 0;
        int notFired = 0;
        // the points before the firing are three hosts' plain steps, which the first test kills at: start one record before it
        Path whole = healthDir("all-whole");
        int start = Math.max(2, recordsBeforeTheFiring(whole, rollbackAll(runbook, inventory, whole)));
        for (int n = start; n <= 2 * MAX_POINTS; n++) {
            Path dir = healthDir("all-" + n);
            Point p = new Point(dir, KilledAtFsync.run(rollbackAll(runbook, inventory, dir), dir, n));
            if (!p.ending.killed()) {
                assertEquals(3, p.ending.exitCode(), "the trigger rolls every host back: " + p.dir);
                assertEquals(List.of("one-web1", "two-web1", "one-web2", "two-web2", "one-web3", "undo-web3", "undo-web2", "undo-web1"),
                        p.log());
                break;
            }
            boolean fired = p.journalBeforeTheKill().contains("trigger-fired");
            List<String> rolledBack = hostsWith(p, "rollback-finished");
            List<String> before = p.log();
            // healthy again by the time the operator resumes: only the decision already taken rolls back
            Files.writeString(dir.resolve("health-web3"), "up\n");
            Resumed r = p.resumeToTheEnd();
            List<String> log = p.log();
            if (!fired) {
                notFired++;
                assertEquals(0, r.exit, p.where() + r.output);
                assertTrue(log.stream().noneMatch(l -> l.startsWith("undo")), p.where() + log);
                continue;
            }
            owed++;
            assertEquals(3, r.exit, p.where() + r.output);
            for (String h : WEB) {
                assertEquals(1, count(log, "undo-" + h), p.where() + "host " + h + " rolled back once, whenever the kill came: " + log);
            }
            assertEquals(before.stream().filter(l -> !l.startsWith("undo")).toList(), log.stream().filter(l -> !l.startsWith("undo"))
                    .toList(), p.where() + "a step ran after the rollback of every host was decided");
            for (String h : rolledBack) {
                assertTrue(before.contains("undo-" + h), p.where() + h);
            }
            CliRun show = opsctl(p, "runs", "show", p.runId(), "--state-dir", p.state().toString());
            for (String h : WEB) {
                assertTrue(show.output.contains("host " + h + ": rolled_back"), p.where() + show.output);
            }
        }
        assertTrue(owed >= 15, "killed after the firing, in the firing host's rollback and in each other host's (" + owed + " points)");
        assertTrue(notFired >= 1, "killed before the firing too (" + notFired + " points)");
    }

    /** A directory for one run of {@link #ROLLBACK_ALL}: web3 unhealthy, the others healthy. */
    private Path healthDir(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String h : WEB) {
            Files.writeString(dir.resolve("health-" + h), h.equals("web3") ? "down\n" : "up\n");
        }
        return dir;
    }

    private static List<String> rollbackAll(Path runbook, Path inventory, Path dir) {
        return java("run", runbook.toString(), "-i", inventory.toString(), "-e", "dir=" + dir, "--yes", "--state-dir",
                dir.resolve("state").toString());
    }

    /** The hosts of the records of {@code type} journaled before the kill. */
    private static List<String> hostsWith(Point p, String type) throws Exception {
        Path journal = p.state().resolve("runs").resolve(p.runId()).resolve("journal.jsonl");
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8).subList(0, p.journalBefore.size())) {
            JsonNode r = JSON.readTree(line);
            if (r.path("type").asText().equals(type)) {
                out.add(r.path("host").asText());
            }
        }
        return out;
    }

    @Test
    void aRunKilledBeforeItsFirstRecordIsListedAsNeverStartedAndItsResumeSaysNothingRan() throws Exception {
        Path runbook = Files.writeString(tmp.resolve("killed.yaml"), STEPS.formatted(""));
        Point p = killAt(runbook, 1);
        assertTrue(p.ending.killed());
        assertEquals(List.of(), p.journalBeforeTheKill(), "the journal's first fsync makes the empty file durable");
        CliRun list = opsctl(p, "runs", "list", "--state-dir", p.state().toString());
        assertEquals(0, list.exit, list.output);
        assertTrue(list.output.contains(p.runId() + "  ?        never started"), list.output);
        CliRun resume = opsctl(p, "runs", "resume", p.runId(), "-e", "dir=" + p.dir, "--state-dir", p.state().toString());
        assertEquals(1, resume.exit, resume.output);
        assertTrue(resume.output.contains("nothing ran on any host"), resume.output);
        assertFalse(Files.exists(p.dir.resolve("log")));
    }

    private record CliRun(int exit, String output) {}

    private record Resumed(int exit, String output) {}

    private final class Point {
        final Path dir;
        final KilledAtFsync.Ending ending;
        final List<String> journalBefore;

        Point(Path dir, KilledAtFsync.Ending ending) throws Exception {
            this.dir = dir;
            this.ending = ending;
            this.journalBefore = records();
        }

        Path state() {
            return dir.resolve("state");
        }

        String runId() throws Exception {
            try (Stream<Path> runs = Files.list(state().resolve("runs"))) {
                return runs.findFirst().orElseThrow().getFileName().toString();
            }
        }

        String where() {
            return "killed after fsync " + ending.stops() + " (journal " + journalBefore + "): ";
        }

        List<String> log() throws Exception {
            Path log = dir.resolve("log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        }

        List<String> journalBeforeTheKill() {
            return journalBefore.stream().map(r -> r.replaceFirst(":.*", "")).toList();
        }

        List<String> finishedBeforeTheKill() {
            return journalBefore.stream().filter(r -> r.startsWith("step-finished:")).map(r -> r.substring("step-finished:".length()))
                    .toList();
        }

        private List<String> records() throws Exception {
            Path journal = state().resolve("runs").resolve(runId()).resolve("journal.jsonl");
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                JsonNode r = JSON.readTree(line);
                out.add(r.path("type").asText() + (r.has("step") ? ":" + r.path("step").asText() : ""));
            }
            return out;
        }

        /** Resumes; a step the kill cut short is run again only after a second resume says so. */
        Resumed resumeToTheEnd() throws Exception {
            CliRun first = opsctl(this, "runs", "resume", runId(), "-e", "dir=" + dir, "--state-dir", state().toString());
            if (first.exit == 1 && first.output.contains("--rerun-interrupted")) {
                List<String> cut = journalBefore.stream().filter(r -> r.startsWith("step-started:")).map(r -> r.substring(13)).toList();
                String step = cut.get(cut.size() - 1);
                assertTrue(first.output.contains("step '" + step + "' was interrupted"), where() + first.output);
                CliRun second = opsctl(this, "runs", "resume", runId(), "-e", "dir=" + dir, "--state-dir", state().toString(),
                        "--rerun-interrupted");
                return new Resumed(second.exit, first.output + second.output);
            }
            if (first.exit == 4 && first.output.contains("opsctl runs rollback")) {
                CliRun rollback = opsctl(this, "runs", "rollback", runId(), "--state-dir", state().toString(), "--rerun-interrupted");
                return new Resumed(rollback.exit, first.output + rollback.output);
            }
            return new Resumed(first.exit, first.output);
        }
    }

    private Point killAt(Path runbook, int n) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("point-" + n));
        Files.writeString(dir.resolve("health"), "down\n");
        KilledAtFsync.Ending ending = KilledAtFsync.run(java("run", runbook.toString(), "-e", "dir=" + dir, "--yes",
                "--state-dir", dir.resolve("state").toString()), dir, n);
        return new Point(dir, ending);
    }

    private static CliRun opsctl(Point p, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(java(args)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS), p.where() + out);
        return new CliRun(proc.exitValue(), out);
    }

    private static List<String> java(String... args) {
        // cli/opsctl's JIT and GC: fewer threads for strace to stop at each fsync, and the JVM operators run
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:+UseSerialGC", "-jar",
                Path.of(System.getProperty("opsctl.jar", "target/opsctl.jar")).toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** How many times {@code step} wrote its line: one, token-<pid>, three-token-<pid>, four. */
    private static long runs(List<String> log, String step) {
        String prefix = switch (step) {
            case "two" -> "token-";
            case "three" -> "three-";
            default -> step;
        };
        return log.stream().filter(l -> l.startsWith(prefix)).count();
    }

    private static long count(List<String> lines, String line) {
        return lines.stream().filter(line::equals).count();
    }
}
