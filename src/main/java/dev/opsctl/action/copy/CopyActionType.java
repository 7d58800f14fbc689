package dev.opsctl.action.copy;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.Node;
import dev.opsctl.target.TargetException;
import dev.opsctl.template.TemplateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

/** {@code copy}: puts a file from beside the runbook (or inline content) on the host, as it is. */
public final class CopyActionType implements ActionType<CopySpec> {
    @Override
    public String name() {
        return "copy";
    }

    @Override
    public String description() {
        return "Puts a file on the host, unchanged: 'src' (relative to the runbook's directory) or inline 'content', to "
                + "'dest', written atomically (a temporary file beside it, then a rename) with 'mode' (octal, quoted: "
                + "'0640'), 'owner' and 'group' (names or numbers). Nothing is written when 'dest' already has the same content: "
                + "the step is ok when the mode, owner and group asked for are there too, and otherwise sets just those "
                + "with chmod/chown (changed, no backup). With 'backup: true' the previous file is first kept as 'dest.<yyyyMMddHHmmss>.bak' "
                + "with its mode ('dest.<yyyyMMddHHmmss>.1.bak' and so on when that exists: a backup is never overwritten). Reports 'dest', 'checksum' (sha256) and 'backup'. Use 'template' to fill in variables.";
    }

    @Override
    public String example() {
        return """
                id: install-daemon-json
                copy:
                  src: files/daemon.json
                  dest: /etc/docker/daemon.json
                  mode: "0644"
                  owner: root
                  group: root
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
        byte[] content;
        try {
            content = spec.src().isPresent() ? Files.readAllBytes(spec.src().get())
                    : spec.content().orElse("").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return StepResult.failed("cannot read '" + spec.srcShown() + "': " + e.getMessage(), Map.of());
        }
        String dest;
        try {
            dest = ctx.render(spec.dest());
        } catch (TemplateException e) {
            return StepResult.failed("cannot render 'dest': " + ctx.mask(e.getMessage()), Map.of());
        }
        return FileWrite.write(content, dest, spec, ctx);
    }

    @Override
    public String summary(CopySpec spec) {
        return "copy " + (spec.src().isPresent() ? spec.srcShown() : "content") + " to " + spec.dest();
    }
}
