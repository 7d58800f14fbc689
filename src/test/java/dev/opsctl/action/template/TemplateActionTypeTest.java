package dev.opsctl.action.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateActionTypeTest {
    @TempDir
    Path runbookDir;

    @TempDir
    Path host;

    private final TemplateActionType type = new TemplateActionType();
    private FakeStepContext ctx;
    private ParseFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(runbookDir.resolve("templates"));
        Files.writeString(runbookDir.resolve("templates/daemon.json"), "{\"userns-remap\": \"{{ remap_user }}\", \"host\": \"{{ host.name }}\"}\n");
        ctx = new FakeStepContext(new LocalTarget("web-1"), host);
        ctx.set("remap_user", "dock'remap");
        ctx.set("host", java.util.Map.of("name", "web-1"));
        fx = new ParseFixture(runbookDir);
    }

    @Test
    void fillsInVariablesWithoutShellQuoting() throws Exception {
        Path dest = host.resolve("daemon.json");
        StepResult r = type.execute(fx.parseClean(type, "template: {src: templates/daemon.json, dest: " + dest + "}\n"), ctx);
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("{\"userns-remap\": \"dock'remap\", \"host\": \"web-1\"}\n", Files.readString(dest));
        assertEquals(StepResult.Outcome.OK, type.execute(fx.parseClean(type, "template: {src: templates/daemon.json, dest: " + dest + "}\n"), ctx).outcome());
    }

    @Test
    void anUndefinedVariableWritesNothing() throws Exception {
        Path dest = host.resolve("out.conf");
        StepResult r = type.execute(fx.parseClean(type, "template: {content: 'x={{ missing }}', dest: " + dest + "}\n"), ctx);
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertTrue(r.message().startsWith("cannot render 'content'"), r.message());
        assertFalse(Files.exists(dest));
    }

    @Test
    void theDestinationIsATemplateToo() throws Exception {
        ctx.set("dir", host.toString());
        StepResult r = type.execute(fx.parseClean(type, "template: {content: 'v={{ remap_user }}', dest: '{{ dir }}/x.conf'}\n"), ctx);
        assertEquals(host.resolve("x.conf").toString(), r.data().get("dest"));
        assertEquals("v=dock'remap", Files.readString(host.resolve("x.conf")));
    }
}
