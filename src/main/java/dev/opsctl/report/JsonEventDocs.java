package dev.opsctl.report;

import dev.opsctl.event.RunEvent;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code docs/json-events.md} from the {@link RunEvent} records themselves, so the reference
 * cannot drift from the code: a new event or field without a sentence here fails generation (and
 * the test that compares the committed file).
 */
public final class JsonEventDocs {
    public static final String FILE = "docs/json-events.md";

    private static final Map<String, String> EVENTS = ordered(
            Map.entry("run-started", "A run began (or was resumed): which runbook, on which hosts, with which parameters."),
            Map.entry("batch-started", "A batch of hosts is about to be worked on."),
            Map.entry("host-started", "Work on one host began."),
            Map.entry("step-started", "A step began on a host (once per attempt)."),
            Map.entry("step-output", "One line a step wrote, as it arrives. Secrets are masked."),
            Map.entry("step-finished", "A step ended on a host."),
            Map.entry("host-finished", "Work on one host ended."),
            Map.entry("gate-evaluated", "A gate's checklist was answered or checked."),
            Map.entry("trigger-fired", "A trigger's condition held; `action` says what happens next."),
            Map.entry("rollback-started", "A host's rollback steps began."),
            Map.entry("rollback-finished", "A host's rollback steps ended."),
            Map.entry("run-finished", "The run ended; `exitCode` is the process exit code."),
            Map.entry("run-halted", "The rollout stopped starting hosts, at the moment it did (a gate, the failure budget, a trigger); `reason` says why."),
            Map.entry("notice", "A note for the operator: a warning, a halt reason, where to look next."));

    @SafeVarargs
    private static Map<String, String> ordered(Map.Entry<String, String>... entries) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> e : entries) {
            m.put(e.getKey(), e.getValue());
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("type", "The event type, as in the heading."),
            Map.entry("runId", "The run's id; `opsctl runs show ID` reads it back."),
            Map.entry("time", "When it happened, ISO-8601 UTC (`2026-11-22T02:01:03.120Z`)."),
            Map.entry("runbook", "The runbook's `metadata.name`."),
            Map.entry("runbookFile", "The runbook file's path."),
            Map.entry("digest", "SHA-256 of the runbook and the files it includes."),
            Map.entry("hosts", "Host names (in `run-finished`: host name to final status)."),
            Map.entry("params", "Parameter values by name, secrets masked."),
            Map.entry("operator", "Who started the run (`--operator`, else `$USER`)."),
            Map.entry("resumed", "True when the run continues an earlier one (`runs resume`)."),
            Map.entry("batch", "The batch's number, from 1."),
            Map.entry("batches", "How many batches the run has."),
            Map.entry("host", "The inventory host name (empty when the event concerns no single host)."),
            Map.entry("target", "What the host is reached through: `local`, `ssh`, ..."),
            Map.entry("step", "The step's `id`."),
            Map.entry("title", "The step's `name`, else its id."),
            Map.entry("attempt", "Which attempt this is, from 1 (`retries` make more)."),
            Map.entry("summary", "One line saying what the step does, e.g. the command."),
            Map.entry("stream", "`stdout` or `stderr`."),
            Map.entry("line", "The line, without its newline."),
            Map.entry("outcome", "`ok`, `changed`, `failed`, `timed_out`, `skipped`, `unreachable` (the host could not be "
                    + "reached: nothing of the step ran) or `connection_lost` (the connection broke while the step's command ran: "
                    + "it may have run in part, or still be running)."),
            Map.entry("rc", "The exit status of the step's command (-1 when there was none)."),
            Map.entry("elapsedMs", "How long it took, in milliseconds."),
            Map.entry("message", "A human-readable explanation (may be empty)."),
            Map.entry("result", "The step type's result fields (e.g. `status` of an http step)."),
            Map.entry("ignored", "True when the step failed but `ignore_errors` let the host go on."),
            Map.entry("incomplete", "The `result` values this event (and the journal) carry only in part, as paths of keys and "
                    + "list indexes, by why: `cut` (output over 64K characters: its head is kept) or `masked` (a secret's value "
                    + "was masked in it), e.g. `{\"cut\":[[\"stdout\"]]}`. A resumed run refuses to read them; empty when whole."),
            Map.entry("status", "`host-finished`: ok, failed, unreachable, halted, rolled_back, rollback_failed, skipped, interrupted; "
                    + "`run-finished`: ok, failed, halted, rolled_back, rollback_failed, gate_failed, interrupted."),
            Map.entry("phase", "`before_run`, `before_host`, `after_host` or `after_run`."),
            Map.entry("checklist", "The checklist's name (`checklists/NAME.yaml`)."),
            Map.entry("passed", "Whether the gate let the run go on."),
            Map.entry("answers", "Each item's answer: id, how it was answered, who, evidence."),
            Map.entry("trigger", "The trigger's `name`."),
            Map.entry("action", "What the trigger does: `rollback`, `rollback-all`, `halt`, `ask` or `pause`."),
            Map.entry("evidence", "What made it fire: the failed step, or the probe's value."),
            Map.entry("values", "The probe's result fields when the trigger fired (secrets masked)."),
            Map.entry("dryRun", "True under `--dry-run-triggers`: the trigger would have fired, nothing was done."),
            Map.entry("reason", "Why the rollback runs (usually the trigger that fired)."),
            Map.entry("succeeded", "Whether every rollback step succeeded."),
            Map.entry("exitCode", "The process exit code: 0, 1, 3, 4, 5, 130 (see the README's table)."),
            Map.entry("level", "`info`, `warning` or `error`."));

    private JsonEventDocs() {}

    /** The whole Markdown file. Throws when an event or field has no description here. */
    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# `-o json` events\n\n")
                .append("<!-- generated from dev.opsctl.event.RunEvent by JsonEventDocs; do not edit: "
                        + "regenerate with `mvn -B -o test -Dtest=GeneratedFilesTest -Dopsctl.regenerate=true` -->\n\n")
                .append("`opsctl run|rollout|runs resume ... -o json` prints one JSON object per line on stdout, one per event, ")
                .append("in the order they happen. Progress and diagnostics go to stderr, so stdout is safe to pipe into ")
                .append("`jq`. Every object has `type` first, then the fields below; field names are stable.\n\n")
                .append("```json\n")
                .append("{\"type\":\"step-finished\",\"runId\":\"20261122-0201-userns-remap\",\"time\":\"2026-11-22T02:01:03.120Z\",")
                .append("\"host\":\"web1\",\"step\":\"restart-docker\",\"outcome\":\"failed\",\"rc\":1,\"elapsedMs\":1200,")
                .append("\"message\":\"exit 1 from 'systemctl restart docker'\",\"result\":{},\"ignored\":false,\"incomplete\":{}}\n")
                .append("```\n\n");
        List<Class<?>> types = new java.util.ArrayList<>(List.of(RunEvent.class.getPermittedSubclasses()));
        // The JVM gives permitted subclasses in no fixed order; document them in the order of a run.
        List<String> order = List.copyOf(EVENTS.keySet());
        types.sort(java.util.Comparator.comparingInt((Class<?> c) -> order.indexOf(typeName(c))).thenComparing(Class::getName));
        for (Class<?> c : types) {
            String type = typeName(c);
            md.append("## `").append(type).append("`\n\n").append(describe(EVENTS, type, "event type")).append("\n\n");
            md.append("| field | JSON type | meaning |\n|---|---|---|\n");
            md.append("| `type` | string | `\"").append(type).append("\"` |\n");
            for (RecordComponent rc : c.getRecordComponents()) {
                md.append("| `").append(rc.getName()).append("` | ").append(jsonType(rc.getGenericType())).append(" | ")
                        .append(describe(FIELDS, rc.getName(), "field")).append(" |\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    static String typeName(Class<?> c) {
        return c.getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String describe(Map<String, String> docs, String key, String what) {
        String d = docs.get(key);
        if (d == null) {
            throw new IllegalStateException("no description for " + what + " '" + key + "': add one to JsonEventDocs");
        }
        return d;
    }

    private static String jsonType(Type t) {
        if (t instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                return "array of " + jsonType(args[0]);
            }
            if (Map.class.isAssignableFrom(raw)) {
                return args[1] == Object.class ? "object" : "object of " + jsonType(args[1]);
            }
            return jsonType(raw);
        }
        if (t == String.class) {
            return "string";
        }
        if (t == Instant.class) {
            return "string (time)";
        }
        if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
            return "integer";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "boolean";
        }
        return t == Object.class ? "any" : "string";
    }
}
