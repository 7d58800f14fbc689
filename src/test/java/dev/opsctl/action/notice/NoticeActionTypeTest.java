package dev.opsctl.action.notice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoticeActionTypeTest {
    @TempDir
    Path tmp;

    private final NoticeActionType type = new NoticeActionType();

    @Test
    void saysTheRenderedMessageAtItsLevelWithSecretsMasked() throws Exception {
        FakeStepContext ctx = new FakeStepContext(new LocalTarget("h1"), tmp);
        ctx.set("port", 80).withSecret("token", "s3cr3t-t0ken");
        NoticeSpec spec = new ParseFixture(tmp).parseClean(type,
                "notice: {level: error, message: 'likely cause: port {{ port }} closed ({{ token }})'}");
        StepResult r = type.execute(spec, ctx);
        assertEquals(StepResult.Outcome.OK, r.outcome());
        assertEquals(List.of("error|likely cause: port 80 closed (********)"), ctx.notices);
        assertEquals("likely cause: port 80 closed (********)", r.fields().get("message"));
        assertEquals("error", r.fields().get("level"));
    }

    @Test
    void aBareStringIsAnInfoNotice() throws Exception {
        FakeStepContext ctx = new FakeStepContext(new LocalTarget("h1"), tmp);
        StepResult r = type.execute(new ParseFixture(tmp).parseClean(type, "notice: 'gateway is up'"), ctx);
        assertEquals(List.of("info|gateway is up"), ctx.notices);
        assertEquals(Map.of("level", "info", "message", "gateway is up"), Map.of("level", r.fields().get("level"), "message",
                r.fields().get("message")));
    }

    @Test
    void anUnknownLevelIsReportedWithASuggestion() {
        ParseFixture fx = new ParseFixture(tmp);
        fx.parse(type, "notice: {level: warn, message: x}");
        assertTrue(fx.rendered().contains("unknown notice level 'warn'"), fx.rendered());
        assertTrue(fx.rendered().contains("did you mean 'warning'?"), fx.rendered());
    }
}
