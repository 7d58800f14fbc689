package dev.opsctl.checklist.run;

import dev.opsctl.checklist.Checklist;
import dev.opsctl.checklist.Item;
import dev.opsctl.source.DidYouMean;
import dev.opsctl.source.MapNode;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.Problems;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SourcePos;
import dev.opsctl.source.YamlTree;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An answers file for a non-interactive run, checked against the checklist with file:line:col:
 * <pre>
 * operator: alice                 # optional, for every answer below
 * answers:
 *   stakeholders-notified: {status: confirmed, note: "mail sent 01:50", operator: bob}
 *   backups-taken@web1: confirmed
 *   window-approved: {status: skipped, note: "emergency change CHG-1234"}
 * </pre>
 * Statuses: {@code confirmed}, {@code failed}, {@code skipped} (its note is the reason). Also checks
 * {@code --confirm} keys: each must name a manual item.
 */
public final class AnswersReader {
    static final List<String> STATUSES = List.of("confirmed", "failed", "skipped");

    private AnswersReader() {}

    public static Map<String, Answer> read(Path file, Checklist checklist, Problems problems) {
        return read(file, checklist, Set.of(), problems);
    }

    /**
     * As {@link #read(Path, Checklist, Problems)} for one of several checklists sharing the file (a
     * run's gates): answers for {@code othersIds}, the items of the other checklists, are left to them.
     */
    public static Map<String, Answer> read(Path file, Checklist checklist, Set<String> othersIds, Problems problems) {
        return YamlTree.parseFile(file, file.toString(), problems)
                .flatMap(root -> MapReader.of(root, "the answers file", problems))
                .map(top -> answers(top, checklist, othersIds, problems))
                .orElse(Map.of());
    }

    /** Problems for {@code --confirm} keys that name no manual item of the checklist. */
    public static void checkKeys(List<String> keys, Checklist checklist, Problems problems) {
        for (String key : keys) {
            checkKey(key, new SourcePos("--confirm " + key, 0, 0), checklist, problems);
        }
    }

    private static Map<String, Answer> answers(MapReader top, Checklist checklist, Set<String> othersIds, Problems problems) {
        Optional<String> operator = top.string("operator");
        Map<String, Answer> out = new LinkedHashMap<>();
        top.map("answers").ifPresent(r -> r.node().entries().values().forEach(e -> {
            r.allow(e.key());
            String id = e.key().contains("@") ? e.key().substring(0, e.key().indexOf('@')) : e.key();
            if (checklist.item(id).isEmpty() && othersIds.contains(id)) {
                return;
            }
            if (checkKey(e.key(), e.keyPos(), checklist, problems)) {
                answer(e, problems).map(a -> a.operator().isEmpty() && operator.isPresent() ? a.by(operator.get()) : a)
                        .ifPresent(a -> out.put(e.key(), a));
            }
        }));
        if (!top.has("answers")) {
            problems.error(top.pos(), "missing required key 'answers' in the answers file", "write answers: {item-id: confirmed}");
        }
        top.finish();
        return out;
    }

    private static Optional<Answer> answer(MapNode.Entry e, Problems problems) {
        Node v = e.value();
        if (v instanceof ScalarNode s) {
            return decision(s.text(), s.pos(), problems).map(d -> new Answer(d, "", Optional.empty()));
        }
        Optional<MapReader> reader = MapReader.of(v, "the answer for '" + e.key() + "'", problems);
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        String status = r.requiredString("status", "write status: confirmed, failed or skipped");
        String note = r.string("note").orElse("");
        Optional<String> who = r.string("operator");
        Optional<Answer.Decision> d = r.has("status") ? decision(status, r.node("status").orElseThrow().pos(), problems) : Optional.empty();
        if (d.filter(x -> x == Answer.Decision.SKIP).isPresent() && note.isBlank()) {
            problems.error(r.keyPos("status"), "skipping '" + e.key() + "' needs a reason", "add note: \"why it does not apply\"");
        }
        r.finish();
        return d.map(x -> new Answer(x, note, who));
    }

    private static Optional<Answer.Decision> decision(String text, SourcePos pos, Problems problems) {
        switch (text) {
            case "confirmed":
                return Optional.of(Answer.Decision.CONFIRM);
            case "failed":
                return Optional.of(Answer.Decision.FAIL);
            case "skipped":
                return Optional.of(Answer.Decision.SKIP);
            default:
                problems.error(pos, "unknown answer status '" + text + "'", DidYouMean.hint(text, STATUSES));
                return Optional.empty();
        }
    }

    private static boolean checkKey(String key, SourcePos pos, Checklist checklist, Problems problems) {
        String id = key.contains("@") ? key.substring(0, key.indexOf('@')) : key;
        Optional<Item> item = checklist.item(id);
        if (item.isEmpty()) {
            List<String> ids = checklist.items().filter(Item::manual).map(Item::id).toList();
            problems.error(pos, "checklist '" + checklist.name() + "' has no item '" + id + "'", DidYouMean.hint(id, ids));
            return false;
        }
        if (!item.get().manual()) {
            problems.error(pos, "item '" + id + "' is checked by a probe and cannot be answered",
                    "answer only manual items; the probe decides this one");
            return false;
        }
        return true;
    }
}
