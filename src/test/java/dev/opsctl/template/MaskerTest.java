package dev.opsctl.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsctl.source.Secret;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskerTest {
    private static final String M = Secret.MASK;

    @Test
    void masksEveryOccurrence() {
        Masker masker = new Masker(List.of("hunter22"));
        assertEquals("pw=" + M + " again " + M, masker.mask("pw=hunter22 again hunter22"));
    }

    @Test
    void masksLongestSecretFirst() {
        Masker masker = new Masker(List.of("abcd", "abcdefgh"));
        assertEquals("x" + M + "y", masker.mask("xabcdefghy"));
        assertEquals("x" + M + "y", masker.mask("xabcdy"));
    }

    @Test
    void ignoresSecretsShorterThanFourCharacters() {
        Masker masker = new Masker(List.of("a", "ab", "abc"));
        assertEquals("a abc cab", masker.mask("a abc cab"));
    }

    @Test
    void isNullSafe() {
        Masker masker = new Masker(Arrays.asList("secret-1", null));
        assertEquals("", masker.mask(null));
        assertEquals(M, masker.mask("secret-1"));
        assertEquals("x", new Masker(null).mask("x"));
    }

    @Test
    void noneMasksNothing() {
        assertEquals("hunter22", Masker.NONE.mask("hunter22"));
    }

    @Test
    void plusAddsSecretsWithoutChangingTheOriginal() {
        Masker first = new Masker(List.of("first-secret"));
        Masker both = first.plus(List.of("second-secret"));
        assertEquals(M + " " + M, both.mask("first-secret second-secret"));
        assertEquals(M + " second-secret", first.mask("first-secret second-secret"));
    }

    @Test
    void treatsRegexCharactersLiterally() {
        Masker masker = new Masker(List.of("a.b*c$1\\E"));
        assertEquals("[" + M + "] axbbc", masker.mask("[a.b*c$1\\E] axbbc"));
    }

    @Test
    void masksTheShellQuotedFormOfASecret() throws TemplateException {
        String password = "pa'ss word";
        String command = Template.parse("login {{ pw }}")
                .render(new MapScope(Map.of("pw", new Secret(password))), Quoting.SHELL);
        String shown = new Masker(List.of(password)).mask(command);
        assertEquals("login " + M, shown);
    }

    @Test
    void masksTheJsonFormOfASecret() throws TemplateException {
        String token = "to\"ken\\x";
        String body = Template.parse("{{ creds }}")
                .render(new MapScope(Map.of("creds", Map.of("token", new Secret(token)))), Quoting.NONE);
        String shown = new Masker(List.of(token)).mask(body);
        assertEquals("{\"token\":\"" + M + "\"}", shown);
    }

    @Test
    void masksEachLineOfAMultiLineSecret() {
        String key = "-----BEGIN KEY-----\nAAAAB3NzaC1yc2E\nQQQQzzzz\n-----END KEY-----";
        String out = new Masker(List.of(key)).mask("line: AAAAB3NzaC1yc2E\n");
        assertEquals("line: " + M + "\n", out);
    }
}
