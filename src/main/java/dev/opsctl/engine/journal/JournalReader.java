package dev.opsctl.engine.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.opsctl.source.InstantText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Rebuilds a {@link RunState} from {@code journal.jsonl}, tolerating a torn last line. Stateless. */
public final class JournalReader {
    private JournalReader() {}

    public static RunState read(Path journal) throws IOException {
        // not readString, which refuses the file: a kill mid-write can cut a multi-byte character in two,
        // and the torn line it ends is dropped below like any other
        String text = new String(Files.readAllBytes(journal), StandardCharsets.UTF_8);
        List<Map<String, Object>> records = new ArrayList<>();
        boolean torn = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            boolean last = i == lines.length - 1;
            try {
                records.add(Json.parse(line));
            } catch (JsonProcessingException e) {
                if (!last) {
                    throw new IOException(journal + ":" + (i + 1) + ": damaged journal record: " + e.getOriginalMessage());
                }
                torn = true;
            }
        }
        return rebuild(journal, records, torn);
    }

    /**
     * A journal without one whole record: the process that created it died before its first record
     * reached the file. Its run never started: nothing ran on any host.
     */
    public static final class NeverStarted extends IOException {
        NeverStarted(Path journal) {
            super(journal + " is empty: opsctl stopped before it journaled the start of this run, so nothing ran on any host; "
                    + "start the run again with 'opsctl run'");
        }
    }

    private static RunState rebuild(Path journal, List<Map<String, Object>> records, boolean torn) throws IOException {
        if (records.isEmpty()) {
            throw new NeverStarted(journal);
        }
        if (!"run-started".equals(records.get(0).get("type"))) {
            throw new IOException(journal + ": not a run journal (no 'run-started' record)");
        }
        RunHeader header = RunHeader.fromMap(records.get(0));
        List<RunHeader> resumes = new ArrayList<>();
        Map<String, HostBuilder> hosts = new LinkedHashMap<>();
        header.hostNames().forEach(h -> hosts.put(h, new HostBuilder(h)));
        Optional<String> status = Optional.empty();
        Optional<Integer> exit = Optional.empty();
        Optional<Instant> finished = Optional.empty();
        Set<GatePass> passedGates = new LinkedHashSet<>();
        Optional<String> rollbackAll = Optional.empty();
        List<String> finishOrder = new ArrayList<>();
        for (Map<String, Object> r : records.subList(1, records.size())) {
            String type = Json.str(r, "type");
            String host = Json.str(r, "host");
            switch (type) {
                case "run-resumed" -> {
                    resumes.add(RunHeader.fromMap(r));
                    status = Optional.empty();
                    exit = Optional.empty();
                    finished = Optional.empty();
                }
                case "host-started" -> hosts.computeIfAbsent(host, HostBuilder::new).status = Optional.empty();
                case "step-started" -> hosts.computeIfAbsent(host, HostBuilder::new).stepStarted(Json.str(r, "step"));
                case "step-finished" -> hosts.computeIfAbsent(host, HostBuilder::new).finished(r);
                case "rollback-started" -> {
                    if (rollbackAll.isEmpty() && Json.str(r, "reason").startsWith(ROLLBACK_ALL)) {
                        rollbackAll = Optional.of(Json.str(r, "reason").substring(ROLLBACK_ALL.length()));
                    }
                    hosts.computeIfAbsent(host, HostBuilder::new).rollbackStarted();
                }
                case "rollback-finished" -> hosts.computeIfAbsent(host, HostBuilder::new).rollbackFinished(Json.bool(r, "succeeded"));
                case "host-finished" -> {
                    HostBuilder b = hosts.computeIfAbsent(host, HostBuilder::new);
                    if (b.rollback.isEmpty()) {
                        finishOrder.remove(host);
                        finishOrder.add(host);
                    }
                    b.hostFinished(Json.str(r, "status"));
                }
                case "trigger-fired" -> {
                    HostBuilder b = hosts.computeIfAbsent(host, HostBuilder::new);
                    if (rollbackAll.isEmpty() && b.decides(r) && "rollback-all".equals(Json.str(r, "action"))) {
                        rollbackAll = Optional.of("trigger '" + Json.str(r, "trigger") + "' fired on host '" + host + "': "
                                + Json.str(r, "evidence"));
                    }
                    b.triggerFired(r);
                }
                case "run-finished" -> {
                    status = Optional.of(Json.str(r, "status"));
                    exit = Optional.of((int) Json.num(r, "exitCode"));
                    finished = Optional.of(InstantText.parse(Json.str(r, "time")));
                }
                case "gate-evaluated" -> {
                    if (Json.bool(r, "passed")) {
                        passedGates.add(new GatePass(Json.str(r, "phase"), Json.str(r, "checklist"), host));
                    }
                }
                default -> {
                    // batch-started, step-output, notices...: not part of the resumable state
                }
            }
        }
        Map<String, HostState> out = new LinkedHashMap<>();
        hosts.forEach((k, b) -> out.put(k, b.build()));
        return new RunState(header, resumes, out, status, exit, finished, torn, passedGates, rollbackAll, finishOrder);
    }

    /**
     * How the engine's {@code rollback-started} reason begins when it rolls a host back for
     * {@code rollback-all}: the firing host's own rollback too, so a rollback-all an operator's
     * {@code ask} ended in (on_timeout) is known once it started.
     */
    public static final String ROLLBACK_ALL = "rollback-all: ";

    /** How a step ends part way, its command perhaps run in part. */
    private static final Set<String> CUT_SHORT = Set.of("interrupted", "timed_out", "connection_lost");
    /** How a step ends whose command opsctl could not be sure it stopped. */
    private static final Set<String> MAY_STILL_RUN = Set.of("timed_out", "connection_lost");

    private static final class HostBuilder {
        final String host;
        final Map<String, StepRecord> steps = new LinkedHashMap<>();
        Optional<String> pending = Optional.empty();
        Optional<String> interrupted = Optional.empty();
        Optional<String> status = Optional.empty();
        Optional<String> rollback = Optional.empty();
        /** Between rollback-started and rollback-finished: the steps journaled are rollback steps. */
        boolean inRollback;
        /** The last finished rollback step, when it ended part way. */
        Optional<String> rollbackCut = Optional.empty();
        /** How the host's last step ended ({@code ""} before any). */
        String lastOutcome = "";
        Optional<PendingTrigger> pendingTrigger = Optional.empty();
        boolean leftRunning;
        /** The rollback steps the host's last rollback completed, in order. */
        final List<String> rollbackCompleted = new ArrayList<>();
        /** Whether the host's last step failed with {@code ignore_errors} (never one whose command may still run). */
        boolean lastIgnored;

        HostBuilder(String host) {
            this.host = host;
        }

        void stepStarted(String step) {
            pending = Optional.of(step);
            pendingTrigger = Optional.empty(); // the host went on: whatever the trigger asked was decided
        }

        void hostFinished(String hostStatus) {
            status = Optional.of(hostStatus);
            pendingTrigger = Optional.empty();
            // halted after a step that timed out or lost its connection: its command may still run there
            leftRunning = hostStatus.equals("halted") && rollback.isEmpty() && MAY_STILL_RUN.contains(lastOutcome) && !lastIgnored;
        }

        /**
         * Only a trigger judged after a step ended whole is acted on by a rollback: one reported while a
         * step ran (a watch) is reported again once it ends, and after a step cut short (its command may
         * still run) the trigger is only reported and the host left for a human.
         */
        void triggerFired(Map<String, Object> r) {
            if (decides(r) && !CUT_SHORT.contains(lastOutcome)) {
                pendingTrigger = Optional.of(new PendingTrigger(Json.str(r, "trigger"), Json.str(r, "action"), Json.str(r, "evidence")));
            }
        }

        /**
         * A firing the host loop acted on (or was about to): not a dry run's, not one reported while a step
         * ran. After a step cut short it still decides a {@code rollback-all} of the other hosts.
         */
        boolean decides(Map<String, Object> r) {
            return !Json.bool(r, "dryRun") && pending.isEmpty() && !inRollback;
        }

        void rollbackStarted() {
            pendingTrigger = Optional.empty();
            rollback = Optional.of("started");
            inRollback = true;
            rollbackCompleted.clear();
            rollbackCut = Optional.empty();
        }

        void rollbackFinished(boolean succeeded) {
            rollback = Optional.of(succeeded ? "succeeded" : "failed");
            // the host's end, until its host-finished says more: a kill between the two left it 'not finished' for good
            status = Optional.of(succeeded ? "rolled_back" : "rollback_failed");
            inRollback = false;
            if (succeeded) {
                rollbackCut = Optional.empty();
            }
        }

        void finished(Map<String, Object> r) {
            Map<String, Object> result = Json.map(r, "result");
            String message = Json.str(r, "message");
            StepRecord rec = new StepRecord(Json.str(r, "step"), LegacyOutcome.of(Json.str(r, "outcome"), message), (int) Json.num(r, "rc"),
                    Json.num(r, "elapsedMs"), message, result, Json.bool(r, "ignored"),
                    r.containsKey("incomplete") ? incomplete(Json.map(r, "incomplete")) : LegacyIncomplete.of(result));
            steps.put(rec.step(), rec);
            pending = Optional.empty();
            lastOutcome = rec.outcome();
            lastIgnored = rec.ignored();
            interrupted = rec.outcome().equals("interrupted") ? Optional.of(rec.step()) : Optional.empty();
            if (inRollback) {
                rollbackCut = CUT_SHORT.contains(rec.outcome()) ? Optional.of(rec.step()) : Optional.empty();
                if (rec.completed()) {
                    rollbackCompleted.add(rec.step());
                }
            }
        }

        /** {@code {"cut": [["stdout"]], ...}}. */
        private static Map<String, List<List<String>>> incomplete(Map<String, Object> m) {
            Map<String, List<List<String>>> out = new LinkedHashMap<>();
            m.forEach((why, paths) -> {
                List<List<String>> ps = new ArrayList<>();
                if (paths instanceof List<?> l) {
                    l.forEach(p -> {
                        if (p instanceof List<?> segs) {
                            ps.add(segs.stream().map(String::valueOf).toList());
                        }
                    });
                }
                out.put(why, ps);
            });
            return out;
        }

        HostState build() {
            Optional<String> cut = inRollback && pending.isPresent() ? pending : rollbackCut;
            return new HostState(host, steps, pending.isPresent() ? pending : interrupted, status, rollback, cut, pendingTrigger,
                    leftRunning, rollbackCompleted);
        }
    }
}
