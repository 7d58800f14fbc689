package dev.opsctl.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.source.Secret;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateTest {
    private static final Scope SCOPE = new MapScope(Map.of(
            "host", Map.of("name", "web1", "address", "10.0.0.5"),
            "params", Map.of("x", "a b", "n", 3L, "ports", List.of(80L, 443L), "files", List.of("a b", "c")),
            "steps", Map.of("restart", Map.of("stdout", "done\n", "rc", 0L)),
            "vars", Map.of("lb_cmd", "lbctl drain --now")));

    private static String render(String text, Scope scope, Quoting quoting) throws TemplateException {
        return Template.parse(text).render(scope, quoting);
    }

    private static String plain(String text) throws TemplateException {
        return render(text, SCOPE, Quoting.NONE);
    }

    private static String shell(String text) throws TemplateException {
        return render(text, SCOPE, Quoting.SHELL);
    }

    private static String value(Object v) throws TemplateException {
        return render("{{ v }}", new MapScope(Map.of("v", v)), Quoting.NONE);
    }

    @Test
    void substitutesDottedVariables() throws TemplateException {
        assertEquals("http://10.0.0.5:8000/health", plain("http://{{host.address}}:8000/health"));
        assertEquals("web1 done\n", plain("{{ host.name }} {{ steps.restart.stdout }}"));
        assertEquals("443", plain("{{ params.ports.1 }}"));
    }

    @Test
    void allowsAnyWhitespaceInsideHoles() throws TemplateException {
        assertEquals("web1web1web1", plain("{{host.name}}{{   host.name\t}}{{\n host.name\n}}"));
    }

    @Test
    void keepsTextWithoutHolesAsIs() throws TemplateException {
        Template t = Template.parse("echo } { }} done");
        assertTrue(t.isLiteral());
        assertEquals("echo } { }} done", t.render(Scope.empty(), Quoting.SHELL));
        assertTrue(t.references().isEmpty());
        assertFalse(Template.parse("{{ host.name }}").isLiteral());
    }

    @Test
    void quotesEachValueInShellMode() throws TemplateException {
        assertEquals("echo 'a b' web1 3", shell("echo {{ params.x }} {{ host.name }} {{ params.n }}"));
        assertEquals("echo a b", plain("echo {{ params.x }}"));
    }

    @Test
    void rawSubstitutesWithoutQuoting() throws TemplateException {
        assertEquals("lbctl drain --now web1", shell("{{ raw(vars.lb_cmd) }} {{ host.name }}"));
        assertEquals("lbctl drain --now", shell("{{raw( vars.lb_cmd )}}"));
    }

    @Test
    void defaultGivesTheFallbackForAMissingVariable() throws TemplateException {
        assertEquals("fallback web1", plain("{{ default(params.nope, \"fallback\") }} {{ default(host.name, 'x') }}"));
        assertEquals("'two words'", shell("{{ default(params.nope, 'two words') }}"));
        assertEquals("-1 0.50", plain("{{ default(params.nope, -1) }} {{ default(params.nope, 0.50) }}"));
        assertEquals("web1", plain("{{ default(params.nope, host.name) }}"));
        assertEquals("sleep 90 true", plain("sleep {{ default(params.nope, 1m30s) }} {{ default(params.nope, true) }}"));
    }

    @Test
    void rawAndDefaultCombine() throws TemplateException {
        assertEquals("echo a b", shell("echo {{ raw(default(params.nope, 'a b')) }}"));
        assertEquals("echo a b", shell("echo {{ raw(default(params.x, 'fallback')) }}"));
    }

    @Test
    void formatsValuesByType() throws TemplateException {
        assertEquals("3", value(3));
        assertEquals("3", value(3L));
        assertEquals("0.95", value(0.95));
        assertEquals("3", value(3.0));
        assertEquals("12.5", value(new BigDecimal("12.5")));
        assertEquals("true", value(true));
        assertEquals("120", value(Duration.ofMinutes(2)));
        assertEquals("0.25", value(Duration.ofMillis(250)), "exact: rounded up, 250ms polled every second");
        assertEquals("90.5", value(Duration.ofMillis(90_500)));
        assertEquals("hunter22", value(new Secret("hunter22")));
        assertEquals("80 443", value(List.of(80L, 443L)));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", 1L);
        map.put("b", List.of("x", true));
        map.put("wait", Duration.ofSeconds(90));
        map.put("poll", Duration.ofMillis(250));
        assertEquals("{\"a\":1,\"b\":[\"x\",true],\"wait\":90,\"poll\":0.25}", value(map));
    }

    @Test
    void expandsAListIntoOneShellWordPerElement() throws TemplateException {
        assertEquals("rm -- 'a b' c", shell("rm -- {{ params.files }}"));
        assertEquals("rm -- ", render("rm -- {{ xs }}", new MapScope(Map.of("xs", List.of())), Quoting.SHELL));
    }

    @Test
    void shellQuotingStopsInjection(@TempDir Path dir) throws Exception {
        Path marker = Files.createFile(dir.resolve("marker"));
        String evil = "'; rm -rf " + marker + "; touch " + dir.resolve("pwned") + "; echo '$(id)`id`";
        String command = render("echo {{ x }}", new MapScope(Map.of("x", evil)), Quoting.SHELL);
        String out = ShellQuoteTest.runSh(command);
        assertEquals(evil + "\n", out);
        assertTrue(Files.exists(marker), "the marker file was deleted");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(marker), files.toList());
        }
    }

    @Test
    void passesGoTemplateHolesThroughVerbatim() throws TemplateException {
        String text = "docker ps --format '{{.ID}}\\t{{ .Names }}' --filter name={{ host.name }}";
        Template t = Template.parse(text);
        assertEquals("docker ps --format '{{.ID}}\\t{{ .Names }}' --filter name=web1", t.render(SCOPE, Quoting.SHELL));
        assertEquals(List.of("host.name"), t.references().stream().map(VarRef::dotted).toList());
    }

    @Test
    void passesGoFunctionsRangesAndTrimMarkersThrough() throws TemplateException {
        String inspect = "docker inspect -f '{{json .State}} {{range .Mounts}}{{.Source}} {{end}}{{- $x := 1 -}}' c";
        Template t = Template.parse(inspect);
        assertTrue(t.isLiteral());
        assertEquals(inspect, t.render(Scope.empty(), Quoting.SHELL));
    }

    @Test
    void bareEndIsAVariableWithoutAGoOpener() {
        TemplateException e = assertThrows(TemplateException.class, () -> plain("x {{ end }}"));
        assertEquals("undefined variable 'end'", e.getMessage());
        assertEquals(5, e.offset());
    }

    @Test
    void aQuotedStringHoleWritesLiteralBraces() throws TemplateException {
        Template t = Template.parse("echo {{ '{{' }} x {{ \"}}\" }}");
        assertEquals("echo {{ x }}", t.render(Scope.empty(), Quoting.SHELL));
        assertFalse(t.isLiteral());
    }

    @Test
    void reportsReferencesInOrderWithOffsets() throws TemplateException {
        String text = "{{ host.name }} and {{raw(params.x)}} {{ default(params.y, 'v') }} {{ steps.restart.rc }}";
        List<VarRef> refs = Template.parse(text).references();
        assertEquals(List.of("host.name", "params.x", "steps.restart.rc"), refs.stream().map(VarRef::dotted).toList());
        assertEquals(3, refs.get(0).offset());
        assertEquals(text.indexOf("params.x"), refs.get(1).offset());
        assertEquals(text.indexOf("steps.restart.rc"), refs.get(2).offset());
        assertEquals(List.of("steps", "restart", "rc"), refs.get(2).path());
    }

    @Test
    void undefinedVariableFailsWithItsOffset() {
        TemplateException e = assertThrows(TemplateException.class, () -> plain("echo {{ host.name }} {{  a.b }}"));
        assertEquals("undefined variable 'a.b'", e.getMessage());
        assertEquals(25, e.offset());
    }

    @Test
    void undefinedVariableInsideAListIndexFails() {
        TemplateException e = assertThrows(TemplateException.class, () -> plain("{{ params.ports.7 }}"));
        assertEquals("undefined variable 'params.ports.7'", e.getMessage());
    }

    @Test
    void unclosedHoleFailsAtItsOpening() {
        TemplateException e = assertThrows(TemplateException.class, () -> Template.parse("echo {{ x }} {{ host.name"));
        assertEquals(13, e.offset());
        assertTrue(e.getMessage().startsWith("unclosed '{{'"), e.getMessage());
    }

    @Test
    void emptyHoleFails() {
        TemplateException e = assertThrows(TemplateException.class, () -> Template.parse("a {{  }} b"));
        assertEquals(2, e.offset());
        assertTrue(e.getMessage().startsWith("empty '{{ }}'"), e.getMessage());
    }

    @Test
    void badSyntaxFailsWithTheOffendingOffset() {
        assertSyntax("{{ host.name x }}", 13, "expected '}}', found 'x'");
        assertSyntax("{{ host. }}", 8, "expected a name after '.'");
        assertSyntax("{{ raw(x }}", 9, "expected ')' closing raw(, found '}}'");
        assertSyntax("{{ default(x) }}", 12, "expected ',' and a fallback value in default(x, value), found ')'");
        assertSyntax("{{ 'abc }}", 3, "unclosed string (missing ')");
        assertSyntax("{{ a == b }}", 5, "expected '}}', found '=='");
        assertSyntax("{{ x # }}", 5, "unexpected character '#'");
        assertSyntax("{{ default(raw(x), 'v') }}", 11, "expected a variable, found 'raw('");
    }

    private static void assertSyntax(String text, int offset, String message) {
        TemplateException e = assertThrows(TemplateException.class, () -> Template.parse(text), text);
        assertEquals(message, e.getMessage(), text);
        assertEquals(offset, e.offset(), text);
    }

    @Test
    void hyphenatedStepIdsAreOneName() throws TemplateException {
        Scope scope = new MapScope(Map.of("steps", Map.of("restart-docker", Map.of("rc", 0L))));
        assertEquals("0", render("{{ steps.restart-docker.rc }}", scope, Quoting.NONE));
    }

    @Test
    void escapesForQuotesTheTemplateAlreadyHas() throws TemplateException {
        Scope scope = new MapScope(Map.of("x", "it's \"$HOME\" `id` \\"));
        assertEquals("echo 'it'\\''s \"$HOME\" `id` \\'", render("echo '{{ x }}'", scope, Quoting.SHELL));
        assertEquals("echo \"it's \\\"\\$HOME\\\" \\`id\\` \\\\\"", render("echo \"{{ x }}\"", scope, Quoting.SHELL));
        assertEquals("echo \"$(cat 'it'\\''s \"$HOME\" `id` \\')\"", render("echo \"$(cat {{ x }})\"", scope, Quoting.SHELL));
    }

    @Test
    void valuesCannotEscapeAnyQuotingContext(@TempDir Path dir) throws Exception {
        Path pwned = dir.resolve("pwned");
        List<String> evil = List.of(
                "'; touch " + pwned + "; echo '",
                "\"; touch " + pwned + "; echo \"",
                "$(touch " + pwned + ")",
                "`touch " + pwned + "`",
                "a\ntouch " + pwned + "\n",
                "\\",
                ") ; touch " + pwned + " ; (",
                "it's \"q\" $x `y` \\ \n end");
        String[] templates = {
            "printf '%s|' {{ x }} '{{ x }}' \"{{ x }}\" \"a{{ x }}b\" 'a'{{ x }}'b'",
            "printf '%s|' \"$(printf %s {{ x }})\" $(printf %s \"{{ x }}\") \"`printf %s '{{ x }}'`\"",
            "printf '%s|' x # comment {{ x }} and more\nprintf '%s|' y",
            "printf '%s|' \"it's\" {{ x }} 'say \"hi\"' {{ x }}",
        };
        for (String v : evil) {
            Scope scope = new MapScope(Map.of("x", v));
            for (String t : templates) {
                String command = render(t, scope, Quoting.SHELL);
                ShellQuoteTest.runSh(command);
                assertFalse(Files.exists(pwned), "injected through " + command);
            }
            String out = ShellQuoteTest.runSh(render(templates[0], scope, Quoting.SHELL));
            assertEquals(v + "|" + v + "|" + v + "|a" + v + "b|a" + v + "b|", out, v);
            // command substitution drops trailing newlines, nothing else
            String substituted = v.replaceAll("\n+$", "");
            String nested = "printf '%s|' \"$(printf %s {{ x }})\" \"`printf %s '{{ x }}'`\" \"`printf %s \"{{ x }}\"`\"";
            assertEquals(substituted + "|" + substituted + "|" + substituted + "|",
                    ShellQuoteTest.runSh(render(nested, scope, Quoting.SHELL)), v);
            assertEquals("x|y|", ShellQuoteTest.runSh(render(templates[2], scope, Quoting.SHELL)), v);
        }
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
                    Template.parse(text).render(scope, Quoting.SHELL);
                    Template.parse(text).references();
                } catch (TemplateException e) {
                    assertTrue(e.offset() >= 0 && e.offset() <= text.length(), text);
                }
            } catch (RuntimeException e) {
                throw new AssertionError("'" + text + "' threw " + e, e);
            }
        }
    }
}
