package dev.opsctl.action.template;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.copy.CopyParser;
import dev.opsctl.action.copy.CopySpec;
import dev.opsctl.action.copy.FileWrite;
import dev.opsctl.source.Node;
import dev.opsctl.target.TargetException;
import dev.opsctl.template.TemplateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

/** {@code template}: like {@code copy}, with the content's {@code {{ }}} holes filled in (not shell-quoted). */
public final class TemplateActionType implements ActionType<CopySpec> {
    @Override
    public String name() {
        return "template";
    }

    @Override
    public String description() {
        return "Renders a template and puts the result on the host: 'src' (relative to the runbook's directory) or inline "
                + "'content', with every {{ variable }} filled in as it is (no shell quoting), written to 'dest' like "
                + "'copy': atomically, with 'mode', 'owner', 'group', skipped when the content is already there (then only a "
                + "differing mode, owner or group is set, with chmod/chown), and "
                + "'backup: true' keeping the previous file as 'dest.<yyyyMMddHHmmss>.bak' (never over an existing one). An undefined variable fails "
                + "the step before anything is written.";
    }

    @Override
    public String example() {
        return """
                id: write-daemon-json
                template:
                  content: |
                    {"userns-remap": "{{ remap_user }}"}
                  dest: /etc/docker/daemon.json
                  mode: "0644"
                  backup: true
                sudo: true
                """;
    }

    @Override
    public Optional<CopySpec> parse(Node node, ParseContext ctx) {
        return CopyParser.parse(name(), node, ctx);
    }

    @Override
    public StepResult execute(CopySpec spec, StepContext ctx) throws TargetException, InterruptedException {
        String text;
        try {
            text = spec.src().isPresent() ? Files.readString(spec.src().get(), StandardCharsets.UTF_8) : spec.content().orElse("");
        } catch (IOException e) {
            return StepResult.failed("cannot read '" + spec.srcShown() + "': " + e.getMessage(), Map.of());
        }
        String what = spec.src().isPresent() ? "'" + spec.srcShown() + "'" : "'content'";
        String rendered;
        String dest;
        try {
            rendered = ctx.render(text);
            dest = ctx.render(spec.dest());
        } catch (TemplateException e) {
            return StepResult.failed("cannot render " + what + ": " + ctx.mask(e.getMessage()), Map.of());
        }
        return FileWrite.write(rendered.getBytes(StandardCharsets.UTF_8), dest, spec, ctx);
    }

    @Override
    public String summary(CopySpec spec) {
        return "template " + (spec.src().isPresent() ? spec.srcShown() : "content") + " to " + spec.dest();
    }
}
