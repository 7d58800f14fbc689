package dev.opsctl.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class JsonValuesTest {
    @Test
    void aStringHoldsWhatItsUtf8EncodingWillHold() {
        Random random = new Random(7);
        char[] alphabet = {'a', 'é', '\uD83D', '\uDE80', '\uDC80', '\uD800', '日', '\n'};
        for (int i = 0; i < 50_000; i++) {
            char[] chars = new char[random.nextInt(8)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = alphabet[random.nextInt(alphabet.length)];
            }
            String s = new String(chars);
            assertEquals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), JsonValues.wellFormed(s), s);
        }
        String ok = "deployed 🚀";
        assertSame(ok, JsonValues.wellFormed(ok), "a well-formed string is not copied");
    }

    @Test
    void aValueCutInsideAnEmojiIsJournaledAndHandedOnAlike() {
        String cut = ("x".repeat(199) + "🚀 deployed").substring(0, 200);
        Map<String, Object> plain = JsonValues.plainMap(Map.of("value", cut), UnaryOperator.identity());
        assertEquals("x".repeat(199) + "?", plain.get("value"));
    }

    @Test
    void aFractionIsHandedOnAsTheJournalWillGiveItBack() throws Exception {
        Map<String, Object> plain = JsonValues.plainMap(Map.of("ratio", new java.math.BigDecimal("1.50"), "f", 0.25f, "n", 3L),
                UnaryOperator.identity());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<?, ?> readBack = json.readValue(json.writeValueAsString(plain), Map.class);
        assertEquals(readBack.get("ratio"), plain.get("ratio"), "1.50 was printed live where the journal gives 1.5");
        assertEquals("1.5", String.valueOf(plain.get("ratio")));
        assertEquals(readBack.get("f"), plain.get("f"));
        assertEquals(3L, plain.get("n"));
    }
}
