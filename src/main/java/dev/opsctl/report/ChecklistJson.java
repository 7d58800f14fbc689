package dev.opsctl.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.checklist.run.ChecklistResult;
import dev.opsctl.checklist.run.Evidence;
import dev.opsctl.checklist.run.ItemResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A checklist result as one JSON document ({@code -o json}), with stable snake_case field names. */
public final class ChecklistJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChecklistJson() {}

    public static String render(ChecklistResult r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("checklist", r.name());
        doc.put("title", r.title());
        doc.put("operator", r.operator());
        doc.put("started", r.started().toString());
        doc.put("finished", r.finished().toString());
        doc.put("hosts", r.hosts());
        doc.put("params", r.params());
        doc.put("passed", r.passed());
        doc.put("verdict", r.verdict());
        doc.put("items", items(r));
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps always serialise", e);
        }
    }

    /** Each item's answer: id, host, status, who, when, note and evidence (also what a gate journals). */
    public static List<Map<String, Object>> items(ChecklistResult r) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (ItemResult i : r.items()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i.itemId());
            m.put("host", i.host().orElse(""));
            m.put("group", i.group());
            m.put("text", i.text());
            m.put("manual", i.manual());
            m.put("status", i.status().label());
            m.put("operator", i.operator());
            m.put("at", i.at().toString());
            m.put("note", i.note());
            List<Object> evidence = new ArrayList<>();
            for (Evidence e : i.evidence()) {
                Map<String, Object> em = new LinkedHashMap<>();
                em.put("at", e.at().toString());
                em.put("probe", e.probe());
                em.put("outcome", e.outcome());
                em.put("held", e.held());
                em.put("fields", e.fields());
                evidence.add(em);
            }
            m.put("evidence", evidence);
            items.add(m);
        }
        return items;
    }
}
