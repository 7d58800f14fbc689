package dev.opsctl.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A value a resumed run has only in part is never read as if it were whole: not rendered, compared, defaulted or held. */
class UnavailableTest {
    private static final Unavailable CUT = new Unavailable("it was over 64K characters and the journal keeps only its head");

    private static Scope scope() {
        Map<String, Object> saved = new LinkedHashMap<>();
        saved.put("rc", 0L);
        saved.put("stdout", CUT);
        saved.put("stdout_lines", CUT); // a cut list is restored as one Unavailable
        saved.put("object", Map.of("data", Map.of("keys", List.of("a", CUT))));
        return new MapScope(Map.of("saved", saved));
    }

    private static TemplateException rendering(String text) {
        return assertThrows(TemplateException.class, () -> Template.parse(text).render(scope(), Quoting.SHELL));
    }

    @Test
    void readingItFailsSayingWhyAndWhere() throws TemplateException {
        TemplateException e = rendering("kubectl apply -f - <<< {{ saved.stdout }}");
        assertEquals("'saved.stdout' cannot be read back from the run's journal: it was over 64K characters and the journal "
                + "keeps only its head; do this step by hand, or start a new run", e.getMessage());
        assertEquals("kubectl apply -f - <<< ".length() + 3, e.offset());
        assertEquals("0", Template.parse("{{ saved.rc }}").render(scope(), Quoting.NONE), "the whole fields are still there");
    }

    @Test
    void aValueHoldingItFailsNamingTheInnerPath() {
        TemplateException e = rendering("{{ saved.object }}");
        assertTrue(e.getMessage().startsWith("'saved.object' holds 'saved.object.data.keys.1', which cannot be read back from the run's journal"),
                e.getMessage());
    }

    @Test
    void shownItSaysWhatItIsNotAValue() {
        assertEquals("(not kept whole in the journal: it was over 64K characters and the journal keeps only its head)", CUT.toString());
    }

    @Test
    void defaultDoesNotFallBackAndConditionsDoNotGuess() {
        assertThrows(TemplateException.class, () -> Template.parse("{{ default(saved.stdout, 'none') }}").render(scope(), Quoting.NONE));
        assertThrows(TemplateException.class, () -> Condition.parse("'ok' in saved.stdout").test(scope()));
        assertThrows(TemplateException.class, () -> Condition.parse("saved.stdout == ''").test(scope()));
    }

    @Test
    void whatIsBelowItIsUnavailableTooNotMissing() {
        // found by review: the lookup could not step into the cut list, so its elements read as undefined
        TemplateException read = rendering("{{ saved.stdout_lines.0 }}");
        assertTrue(read.getMessage().startsWith("'saved.stdout_lines.0' cannot be read back from the run's journal"), read.getMessage());
        assertThrows(TemplateException.class, () -> Template.parse("{{ default(saved.stdout_lines.0, 'none') }}").render(scope(),
                Quoting.NONE), "default() fell back over it");
        assertThrows(TemplateException.class, () -> Condition.parse("default(saved.stdout_lines.0, false)").test(scope()),
                "the condition was quietly false");
    }
}
