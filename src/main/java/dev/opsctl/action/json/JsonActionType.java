package dev.opsctl.action.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.copy.CopySpec;
import dev.opsctl.action.copy.FileWrite;
import dev.opsctl.source.Node;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.TargetException;
import dev.opsctl.template.TemplateException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code json}: sets and removes keys in a JSON file on the host, keeping everything else. Made for
 * {@code /etc/docker/daemon.json}, where a host's own settings must survive a rollout's change.
 */
public final class JsonActionType implements ActionType<JsonSpec> {
    @Override
    public String name() {
        return "json";
    }

    @Override
    public String description() {
        return "Edits a JSON file on the host without losing what is already there: 'set' is merged into the "
                + "document (objects key by key, other values replace), 'remove' deletes keys (dotted paths such as "
                + "'log-opts.max-size'). The file is read over the target, changed on the controller and written back "
                + "atomically, keeping its mode unless 'mode' is given; 'backup: true' keeps the previous file as "
                + "'path.<yyyyMMddHHmmss>.bak' (never over an existing one). A missing file starts as {} unless 'create: false'. A file that is not "
                + "valid JSON is never overwritten: the step fails and says where the file is broken. Nothing is "
                + "written when the document would not change (the step is ok). Reports 'path', 'changed' (the keys "
                + "that changed), 'content' and 'backup'. Strings in 'set' are templates.";
    }

    @Override
    public String example() {
        return """
                id: enable-userns-remap
                json:
                  path: /etc/docker/daemon.json
                  set:
                    userns-remap: default
                  backup: true
                sudo: true
                """;
    }

    @Override
    public Optional<JsonSpec> parse(Node node, ParseContext ctx) {
        return JsonParser.parse(node, ctx);
    }

    @Override
    public Optional<Set<String>> resultFields() {
        return Optional.of(Set.of("path", "changed", "content", "backup"));
    }

    @Override
    public StepResult execute(JsonSpec spec, StepContext ctx) throws TargetException, InterruptedException {
        String path;
        Map<String, Object> set;
        try {
            path = ctx.render(spec.path());
            set = renderStrings(spec.set(), ctx);
        } catch (TemplateException e) {
            return StepResult.failed("cannot render 'json': " + ctx.mask(e.getMessage()), Map.of());
        }
        Sudo sudo = ctx.sudo();
        boolean exists = ctx.target().stat(path, sudo).isPresent();
        if (!exists && !spec.createIfMissing()) {
            return StepResult.failed("'" + path + "' does not exist (create: false)", Map.of("path", path));
        }
        String before = exists ? new String(ctx.target().get(path, sudo), StandardCharsets.UTF_8) : "";
        ObjectNode doc;
        try {
            doc = JsonDocuments.parseObject(before);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return StepResult.failed("'" + path + "' is not a JSON object, so it was left as it is: " + firstLine(e)
                    + "; fix the file by hand, then resume", Map.of("path", path));
        }
        List<String> changed = new ArrayList<>(JsonDocuments.merge(doc, set));
        changed.addAll(JsonDocuments.remove(doc, spec.remove()));
        String content;
        try {
            content = JsonDocuments.write(doc);
        } catch (JsonProcessingException e) {
            return StepResult.failed("cannot write JSON: " + firstLine(e), Map.of("path", path));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("path", path);
        data.put("changed", List.copyOf(changed));
        data.put("content", ctx.mask(content));
        data.put("backup", "");
        if (changed.isEmpty() && exists) {
            return StepResult.ok("'" + path + "' already has these settings", data);
        }
        CopySpec write = new CopySpec(Optional.empty(), "", Optional.empty(), path, spec.mode(), Optional.empty(),
                Optional.empty(), spec.backup());
        StepResult written = FileWrite.write(content.getBytes(StandardCharsets.UTF_8), path, write, ctx);
        if (!written.succeeded()) {
            return written;
        }
        data.put("backup", written.data().getOrDefault("backup", ""));
        String what = changed.isEmpty() ? "created" : "changed " + String.join(", ", changed);
        return StepResult.changed("'" + path + "': " + what, data);
    }

    @Override
    public String summary(JsonSpec spec) {
        List<String> parts = new ArrayList<>();
        spec.set().keySet().forEach(k -> parts.add("set " + k));
        spec.remove().forEach(k -> parts.add("remove " + k));
        return "edit " + spec.path() + ": " + String.join(", ", parts);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> renderStrings(Map<String, Object> in, StepContext ctx) throws TemplateException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : in.entrySet()) {
            Object v = e.getValue();
            if (v instanceof String s) {
                out.put(e.getKey(), ctx.render(s));
            } else if (v instanceof Map<?, ?> m) {
                out.put(e.getKey(), renderStrings((Map<String, Object>) m, ctx));
            } else if (v instanceof List<?> list) {
                List<Object> rendered = new ArrayList<>();
                for (Object item : list) {
                    rendered.add(item instanceof String s ? ctx.render(s) : item);
                }
                out.put(e.getKey(), rendered);
            } else {
                out.put(e.getKey(), v);
            }
        }
        return out;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
