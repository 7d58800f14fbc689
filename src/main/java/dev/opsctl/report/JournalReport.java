package dev.opsctl.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.source.InstantText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds a {@link RunReport} from a run's {@code journal.jsonl}. It reads the journal's file format
 * (one JSON object per line, {@code type} and {@code time} first), not the engine's classes, so the
 * report stays below the engine in the layers; record types it does not know are skipped, and a
 * torn last line (the process died mid-write) is ignored as the engine's reader does. Stateless.
 */
public final class JournalReport {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private JournalReport() {}

    public static RunReport read(Path journal) throws IOException {
        String text = Files.readString(journal, StandardCharsets.UTF_8);
        Fold fold = new Fold();
        boolean torn = false;
        String[] lines = text.split("\n", -1);
        try {
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                Map<String, Object> record;
                try {
                    record = MAPPER.readValue(lines[i], MAP);
                } catch (JsonProcessingException e) {
                    if (i < lines.length - 1 && !lines[i + 1].isBlank()) {
                        throw new IOException(journal + ":" + (i + 1) + ": damaged journal record: " + e.getOriginalMessage());
                    }
                    torn = true;
                    continue;
                }
                fold.accept(record);
            }
            return fold.report(torn);
        } catch (NotARunJournal e) {
            throw new IOException(journal + ": " + e.getMessage());
        } catch (DateTimeParseException e) {
            throw new IOException(journal + ": bad time in journal: '" + e.getParsedString() + "'");
        }
    }

    /**
     * Folds a journal's records, in order, into a report: the file read back, or each record as the
     * journal writer writes it, so that a run's own report costs no second parse of its journal.
     * Not thread-safe. Throws {@link DateTimeParseException} for a record whose time is not one.
     */
    public static final class Fold implements Consumer<Map<String, Object>> {
        private Map<String, Object> head;
        private Builder builder;

        @Override
        public void accept(Map<String, Object> record) {
            if (head != null) {
                builder.accept(record);
                return;
            }
            if (!"run-started".equals(record.get("type"))) {
                throw new NotARunJournal();
            }
            head = record;
            builder = new Builder(InstantText.parse(str(head, "started").isEmpty() ? str(head, "time") : str(head, "started")));
            for (Object h : list(head, "hosts")) {
                Map<String, Object> m = map(h);
                builder.host(str(m, "name")).address = str(m, "address");
            }
        }

        /** The run as far as it was folded; {@code torn}: the journal ended in a partly written record. */
        public RunReport report(boolean torn) {
            if (head == null) {
                throw new NotARunJournal();
            }
            Builder b = builder;
            Map<String, String> params = new LinkedHashMap<>();
            new java.util.TreeMap<>(map(head.get("params"))).forEach((k, v) -> params.put(k, String.valueOf(v)));
            String inv = str(head, "inventory");
            return new RunReport(str(head, "runId"), str(head, "runbook"), str(head, "runbookFile"), str(head, "digest"),
                    str(head, "operator"), str(head, "controller"), inv.isEmpty() ? Optional.empty() : Optional.of(inv), params,
                    b.started, b.resumed, b.finished, b.status.orElse(RunReport.UNFINISHED), b.exitCode, b.message,
                    b.stepIds, b.hosts(), b.gates, b.triggers, b.rollbacks, b.notices, torn);
        }
    }

    /** The records do not begin with the run's header. */
    private static final class NotARunJournal extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NotARunJournal() {
            super("not a run journal (no 'run-started' record)");
        }
    }

    /** The run as it is folded record by record. */
    private static final class Builder {
        final Instant started;
        final List<Instant> resumed = new ArrayList<>();
        final Map<String, HostBuilder> hosts = new LinkedHashMap<>();
        final List<String> stepIds = new ArrayList<>();
        final List<GateReport> gates = new ArrayList<>();
        final List<TriggerReport> triggers = new ArrayList<>();
        final List<RollbackReport> rollbacks = new ArrayList<>();
        final List<NoticeReport> notices = new ArrayList<>();
        Optional<Instant> finished = Optional.empty();
        Optional<String> status = Optional.empty();
        Optional<Integer> exitCode = Optional.empty();
        String message = "";

        Builder(Instant started) {
            this.started = started;
        }

        HostBuilder host(String name) {
            return hosts.computeIfAbsent(name, HostBuilder::new);
        }

        void accept(Map<String, Object> r) {
            Instant time = InstantText.parse(str(r, "time"));
            String host = str(r, "host");
            switch (str(r, "type")) {
                case "run-resumed" -> {
                    resumed.add(time);
                    finished = Optional.empty();
                    status = Optional.empty();
                    exitCode = Optional.empty();
                    message = "";
                }
                case "host-started" -> {
                    HostBuilder h = host(host);
                    h.started = h.started.or(() -> Optional.of(time));
                    h.status = Optional.empty();
                }
                case "step-started" -> host(host).stepStarted(str(r, "step"), str(r, "title"), (int) num(r, "attempt"), time);
                case "step-finished" -> {
                    String step = str(r, "step");
                    HostBuilder h = host(host);
                    if (!h.inRollback && !stepIds.contains(step)) {
                        stepIds.add(step);
                    }
                    h.stepFinished(r, step, time);
                }
                case "host-finished" -> {
                    HostBuilder h = host(host);
                    h.status = Optional.of(str(r, "status"));
                    h.message = str(r, "message");
                    h.finished = Optional.of(time);
                }
                case "gate-evaluated" -> gates.add(new GateReport(time, str(r, "phase"), str(r, "checklist"), host,
                        Boolean.TRUE.equals(r.get("passed")), list(r, "answers").stream().map(JournalReport::answer).toList()));
                case "trigger-fired" -> {
                    Map<String, String> values = new LinkedHashMap<>();
                    map(r.get("values")).forEach((k, v) -> values.put(k, String.valueOf(v)));
                    triggers.add(new TriggerReport(time, host, str(r, "trigger"), str(r, "action"), str(r, "evidence"), values,
                            Boolean.TRUE.equals(r.get("dryRun"))));
                }
                case "rollback-started" -> {
                    host(host).inRollback = true;
                    rollbacks.add(new RollbackReport(host, time, str(r, "reason"), Optional.empty(), Optional.empty(), ""));
                }
                case "rollback-finished" -> {
                    host(host).inRollback = false;
                    rollbackFinished(host, time, Boolean.TRUE.equals(r.get("succeeded")), str(r, "message"));
                }
                case "notice" -> notices.add(new NoticeReport(time, str(r, "level"), host, str(r, "message")));
                case "run-finished" -> {
                    finished = Optional.of(time);
                    status = Optional.of(str(r, "status"));
                    exitCode = Optional.of((int) num(r, "exitCode"));
                    message = str(r, "message");
                }
                default -> {
                    // batch-started and record types newer than this reader: not part of the report
                }
            }
        }

        private void rollbackFinished(String host, Instant time, boolean ok, String msg) {
            for (int i = rollbacks.size() - 1; i >= 0; i--) {
                RollbackReport rb = rollbacks.get(i);
                if (rb.host().equals(host) && rb.finished().isEmpty()) {
                    rollbacks.set(i, new RollbackReport(host, rb.started(), rb.reason(), Optional.of(time), Optional.of(ok), msg));
                    return;
                }
            }
            rollbacks.add(new RollbackReport(host, time, "", Optional.of(time), Optional.of(ok), msg));
        }

        List<HostReport> hosts() {
            return hosts.values().stream().map(HostBuilder::build).toList();
        }
    }

    private static final class HostBuilder {
        final String name;
        String address = "";
        String message = "";
        Optional<Instant> started = Optional.empty();
        Optional<Instant> finished = Optional.empty();
        Optional<String> status = Optional.empty();
        boolean inRollback;
        final List<StepReport> steps = new ArrayList<>();
        final Map<String, Instant> pendingStart = new LinkedHashMap<>();
        final Map<String, Integer> attempts = new LinkedHashMap<>();
        final Map<String, String> titles = new LinkedHashMap<>();

        HostBuilder(String name) {
            this.name = name;
        }

        void stepStarted(String step, String title, int attempt, Instant time) {
            started = started.or(() -> Optional.of(time));
            if (!pendingStart.containsKey(step) || attempt <= 1) {
                pendingStart.put(step, time);
            }
            attempts.merge(step, Math.max(1, attempt), Math::max);
            titles.put(step, title);
        }

        void stepFinished(Map<String, Object> r, String step, Instant time) {
            long elapsed = num(r, "elapsedMs");
            Instant start = pendingStart.getOrDefault(step, time.minusMillis(elapsed));
            steps.add(new StepReport(step, titles.getOrDefault(step, ""), str(r, "outcome"), attempts.getOrDefault(step, 1),
                    start, time, elapsed, (int) num(r, "rc"), str(r, "message"), Boolean.TRUE.equals(r.get("ignored")),
                    inRollback));
            pendingStart.remove(step);
            attempts.remove(step);
        }

        HostReport build() {
            String state = status.orElseGet(() -> started.isPresent() ? HostReport.INTERRUPTED : HostReport.NOT_STARTED);
            String why = message;
            if (status.isEmpty() && started.isPresent()) {
                why = pendingStart.isEmpty() ? "the journal ends before this host finished"
                        : "the journal ends while step '" + pendingStart.keySet().iterator().next() + "' was running";
            }
            return new HostReport(name, address, state, why, started, finished, steps);
        }
    }

    /** A journaled answer; tolerant of the checklist runner's own names ({@code id}, {@code at}) and of structured evidence. */
    private static GateAnswer answer(Object o) {
        Map<String, Object> m = map(o);
        String item = str(m, "item").isEmpty() ? str(m, "id") : str(m, "item");
        String host = str(m, "host");
        return new GateAnswer(host.isEmpty() || item.contains("@") ? item : item + "@" + host, str(m, "status"),
                str(m, "operator"), str(m, "time").isEmpty() ? str(m, "at") : str(m, "time"), str(m, "note"),
                evidence(m.get("evidence")));
    }

    /** Evidence as text: a string as is; samples ({@code probe}, {@code outcome}, {@code fields}) one per line. */
    private static String evidence(Object e) {
        if (e instanceof List<?> samples) {
            List<String> lines = new ArrayList<>();
            for (Object s : samples) {
                lines.add(evidence(s));
            }
            return String.join("\n", lines);
        }
        if (e instanceof Map<?, ?>) {
            Map<String, Object> m = map(e);
            StringBuilder b = new StringBuilder();
            for (String k : List.of("probe", "outcome")) {
                if (!str(m, k).isEmpty()) {
                    b.append(b.length() == 0 ? "" : " ").append(str(m, k));
                }
            }
            Map<String, Object> fields = m.containsKey("fields") ? map(m.get("fields")) : m;
            fields.forEach((k, v) -> {
                if (!List.of("probe", "outcome", "at", "itemId", "host", "held").contains(k)) {
                    b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(String.valueOf(v).strip());
                }
            });
            return b.toString();
        }
        return e == null ? "" : String.valueOf(e);
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    private static long num(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0L;
    }

    private static List<?> list(Map<String, Object> m, String key) {
        return m.get(key) instanceof List<?> l ? l : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> x ? (Map<String, Object>) x : Map.of();
    }
}
