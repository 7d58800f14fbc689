package dev.opsctl.action.confirm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfirmActionTypeTest {
    @TempDir
    Path tmp;

    private final ConfirmActionType type = new ConfirmActionType();

    @Test
    void aContextWithNobodyToAskFailsClosed() throws Exception {
        ConfirmSpec spec = new ParseFixture(tmp).parseClean(type, "confirm: {question: 'restart the gateway?', default: false}");
        StepResult r = type.execute(spec, new FakeStepContext(new LocalTarget("h1"), tmp));
        assertEquals(StepResult.Outcome.OK, r.outcome(), "an unanswered question never fails the run");
        assertEquals(false, r.fields().get("confirmed"));
        assertEquals("not confirmed: restart the gateway?", r.message());
    }

    @Test
    void asksTheRenderedQuestionAndReportsTheAnswer() throws Exception {
        FakeStepContext ctx = new FakeStepContext(new LocalTarget("h1"), tmp);
        ctx.answer = true;
        ctx.set("host", java.util.Map.of("name", "web1"));
        ConfirmSpec spec = new ParseFixture(tmp).parseClean(type, "confirm: 'restart nginx on {{ host.name }}?'");
        StepResult r = type.execute(spec, ctx);
        assertEquals(List.of("restart nginx on web1?"), ctx.questions);
        assertEquals(true, r.fields().get("confirmed"));
        assertEquals("restart nginx on web1?", r.fields().get("question"));
    }

    @Test
    void aDefaultOfYesIsRefusedAtLoadTime() {
        ParseFixture fx = new ParseFixture(tmp);
        fx.parse(type, "confirm: {question: 'wipe it?', default: true}");
        assertTrue(fx.rendered().contains("'default' of 'confirm' may only be false"), fx.rendered());
        assertTrue(fx.rendered().contains("--confirm <step-id>"), fx.rendered());
    }

    @Test
    void aMissingQuestionAndAnUnknownKeyAreReported() {
        ParseFixture fx = new ParseFixture(tmp);
        fx.parse(type, "confirm: {questoin: 'x'}");
        assertTrue(fx.rendered().contains("missing required key 'question' in 'confirm'"), fx.rendered());
        assertTrue(fx.rendered().contains("unknown key 'questoin' in 'confirm'"), fx.rendered());
        assertTrue(fx.rendered().contains("did you mean 'question'?"), fx.rendered());
    }
}
