package dev.opsctl.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.source.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionTest {
    private static final Scope SCOPE = new MapScope(Map.ofEntries(
            Map.entry("status", 503L),
            Map.entry("value", 31.5),
            Map.entry("nan", Double.NaN),
            Map.entry("stdout", "3\n"),
            Map.entry("text", "Active: active (running)\n"),
            Map.entry("version", "1.10"),
            Map.entry("empty", ""),
            Map.entry("no", "false"),
            Map.entry("zero", "0"),
            Map.entry("yes", true),
            Map.entry("wait", Duration.ofMinutes(2)),
            Map.entry("took", "90s"),
            Map.entry("token", new Secret("s3cret-token")),
            Map.entry("tags", List.of("web", "blue", 7L)),
            Map.entry("none", List.of()),
            Map.entry("labels", Map.of("tier", "web")),
            Map.entry("steps", Map.of("check", Map.of("rc", 0L, "stdout", "ok\n"), "restart-docker", Map.of("rc", 1L)))));

    private static boolean test(String condition) throws TemplateException {
        return Condition.parse(condition).test(SCOPE);
    }

    private static void holds(String... conditions) throws TemplateException {
        for (String c : conditions) {
            assertTrue(test(c), c);
        }
    }

    private static void fails(String... conditions) throws TemplateException {
        for (String c : conditions) {
            assertFalse(test(c), c);
        }
    }

    @Test
    void comparesNumbers() throws TemplateException {
        holds("status >= 500", "status == 503", "status != 500", "status > 502", "status < 504", "status <= 503",
                "value > 30", "value < 31.6", "status > -1", "-2 < -1", "1e3 == 1000");
        fails("status < 500", "status == 500", "value > 31.5");
    }

    @Test
    void readsNumericStringsAfterStrippingWhitespace() throws TemplateException {
        holds("stdout == 3", "stdout > 2", "stdout <= 3.0", "steps.check.rc == 0");
    }

    @Test
    void comparesTextIgnoringTrailingNewlines() throws TemplateException {
        holds("steps.check.stdout == 'ok'", "steps.check.stdout != \"OK\"", "stdout == '3'");
        fails("steps.check.stdout == 'ok '");
    }

    @Test
    void comparesTwoNumericLookingStringsAsText() throws TemplateException {
        fails("version == '1.1'");
        holds("version == 1.10", "version == '1.10'");
    }

    @Test
    void orderingNonNumbersIsAnError() throws TemplateException {
        TemplateException e = assertThrows(TemplateException.class, () -> test("text > 5"));
        assertEquals(
                "cannot compare 'Active: active (running)' with 5 using '>' (it needs numbers or durations on both sides)",
                e.getMessage());
        assertEquals(5, e.offset());
        TemplateException s = assertThrows(TemplateException.class, () -> test("token < 5"));
        assertFalse(s.getMessage().contains("s3cret"), s.getMessage());
    }

    @Test
    void bindsNotTighterThanAndTighterThanOr() throws TemplateException {
        holds("status == 1 or status == 503 and yes");
        fails("(status == 1 or status == 503) and not yes");
        holds("not status == 1 and yes");
        holds("not (status == 1 or status == 2)");
        fails("not not not yes");
        holds("false or true and true", "true || false && false", "!false");
        fails("(false or true) and false");
    }

    @Test
    void shortCircuitsSoTheRightSideNeedNotBeDefined() throws TemplateException {
        holds("yes or missing.var > 1");
        fails("not yes and missing.var > 1");
    }

    @Test
    void containsTestsSubstringsListElementsAndMapKeys() throws TemplateException {
        holds("text contains 'active (running)'", "tags contains 'blue'", "tags contains 7", "tags contains '7'",
                "labels contains 'tier'", "'blue' in tags", "'tive' in text", "stdout in ['1', 3]");
        fails("text contains 'inactive'", "tags contains 'green'", "'red' in tags", "labels contains 'web'",
                "4 in [1, 2, 3]");
    }

    @Test
    void wordOperatorsTakeNot() throws TemplateException {
        holds("'red' not in tags", "text not contains 'inactive'", "text not matches '^active'",
                "not text not matches 'running'");
        fails("'web' not in tags", "text not contains 'active'");
    }

    @Test
    void matchesFindsARegexAnywhere() throws TemplateException {
        holds("text matches 'act.ve \\(run'", "stdout matches '^\\d+$'", "text matches \"^Active\"");
        fails("text matches '^active'", "steps.check.stdout matches '\\d'");
    }

    @Test
    void badRegexIsAParseError() {
        TemplateException e = assertThrows(TemplateException.class, () -> Condition.parse("text matches 'a(b'"));
        assertTrue(e.getMessage().startsWith("bad regex 'a(b': "), e.getMessage());
        assertEquals(13, e.offset());
        TemplateException v = assertThrows(TemplateException.class, () -> Condition.parse("text matches stdout"));
        assertEquals("'matches' needs a quoted regex on its right", v.getMessage());
    }

    @Test
    void comparesDurationsAsSeconds() throws TemplateException {
        holds("wait == 2m", "wait == 120", "wait > 90s", "wait >= 1m59s", "1h > wait", "took < wait",
                "took > 1m", "120 == wait");
        fails("wait < 1m", "took > 2m", "took == 90");
    }

    @Test
    void operandsMayBeWrittenInBraces() throws TemplateException {
        holds("{{ status }} >= 500", "{{steps.check.rc}} == 0 and {{ yes }}");
    }

    @Test
    void hyphenatedStepIdsAreOneName() throws TemplateException {
        holds("steps.restart-docker.rc == 1");
    }

    @Test
    void bareOperandIsATruthTest() throws TemplateException {
        holds("yes", "status", "text", "tags", "labels", "wait", "token", "'x'", "1");
        fails("empty", "no", "zero", "none", "nan", "false", "0", "''", "0s");
    }

    @Test
    void booleansCompareWithTheirText() throws TemplateException {
        holds("yes == true", "no == false", "yes != false", "no == 'false'");
    }

    @Test
    void nanComparesFalse() throws TemplateException {
        fails("nan > 1", "nan < 1", "nan == nan");
        holds("nan != 1");
    }

    @Test
    void secretsCompareByTheirValue() throws TemplateException {
        holds("token == 's3cret-token'", "token contains 'cret'");
    }

    @Test
    void defaultAvoidsTheUndefinedError() throws TemplateException {
        holds("default(params.retries, 3) == 3", "default(status, 0) == 503");
        Condition c = Condition.parse("default(params.retries, 3) == status");
        assertEquals(List.of("status"), c.references().stream().map(VarRef::dotted).toList());
    }

    @Test
    void undefinedVariableIsAnErrorWithItsOffset() {
        TemplateException e = assertThrows(TemplateException.class, () -> test("status == 1 or steps.nope.rc == 0"));
        assertEquals("undefined variable 'steps.nope.rc'", e.getMessage());
        assertEquals(15, e.offset());
    }

    @Test
    void listsTheVariablesItReads() throws TemplateException {
        Condition c = Condition.parse("status >= 500 and ({{ steps.check.stdout }} contains 'ok' or 'x' in params.list)");
        assertEquals(List.of("status", "steps.check.stdout", "params.list"),
                c.references().stream().map(VarRef::dotted).toList());
        assertEquals(22, c.references().get(1).offset());
    }

    @Test
    void rejectsMalformedConditions() {
        assertSyntax("", 0, "empty condition");
        assertSyntax("status >=", 9, "expected a variable, number or quoted string, found end of text");
        assertSyntax("status = 5", 7, "'=' is not a comparison; use '=='");
        assertSyntax("(status > 1", 11, "expected ')', found end of text");
        assertSyntax("status > 1 rc", 11, "expected 'and', 'or' or end of condition, found 'rc'");
        assertSyntax("wait > 5x", 7, "bad duration '5x' (write e.g. 30s, 5m, 1h30m, 250ms)");
        assertSyntax("a == 'b", 5, "unclosed string (missing ')");
        assertSyntax("raw(x) == 1", 0, "raw() may only wrap a whole '{{ }}' hole of a template");
        assertSyntax("and == 1", 0, "expected a variable, found 'and'");
    }

    private static void assertSyntax(String text, int offset, String message) {
        TemplateException e = assertThrows(TemplateException.class, () -> Condition.parse(text), text);
        assertEquals(message, e.getMessage(), text);
        assertEquals(offset, e.offset(), text);
    }

    @Test
    void randomInputOnlyEverFailsWithATemplateException() {
        java.util.Random random = new java.util.Random(7);
        String[] pieces = {"{{", "}}", " ", "x", "a.b", ".", "0", "-1", "2.5", "30s", "'", "\"", "\\", "(", ")", "[",
            "]", ",", "==", "!=", "<", ">=", "=", "!", "&&", "||", "and", "or", "not", "in", "contains", "matches",
            "raw", "default", "true", "#", "$", "`", "\n", "é", "1e", "5x", "a-"};
        Scope scope = new MapScope(Map.of("x", "v", "a", Map.of("b", 1L)));
        for (int i = 0; i < 20000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + random.nextInt(10);
            for (int j = 0; j < n; j++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = sb.toString();
            try {
                try {
                    Condition.parse(text).test(scope);
                } catch (TemplateException e) {
                    assertTrue(e.offset() >= 0 && e.offset() <= text.length(), text);
                }
            } catch (RuntimeException e) {
                throw new AssertionError("'" + text + "' threw " + e, e);
            }
        }
    }
}
