package dev.opsctl.inventory;

import static dev.opsctl.inventory.InventoryLoaderTest.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Texts Python 3.11's literal_eval refuses: Ansible then keeps them as written. */
class PythonLiteralTest {
    @Test
    void anEscapeTakesOnlyHexDigitsAndAUnicodeCodePoint() {
        for (String text : new String[] {"\"\\x-1\"", "\"\\x+1\"", "\"\\u+123\"", "\"\\x1\"", "\"\\U00110000\"", "\"\\U7FFFFFFF\"",
                "\"\\UFFFFFFFF\""}) {
            assertEquals(Optional.empty(), PythonLiteral.eval(text), text);
            assertEquals(Map.of("x", text), load("hosts.ini", "[g]\nh1\n[g:vars]\nx=" + text + "\n").host("h1").orElseThrow().vars());
        }
        assertEquals(Optional.of("\uDBFF\uDFFF\u00e9"), PythonLiteral.eval("\"\\U0010FFFF\\xE9\""));
    }

    @Test
    void bracketsNestDeeperThanPythonsTokenizerAllowsAreNoLiteral() {
        assertEquals(Optional.of(1), PythonLiteral.eval("(".repeat(200) + "1" + ")".repeat(200)));
        assertEquals(Optional.of(nested(200)), PythonLiteral.eval("[".repeat(200) + "]".repeat(200)));
        assertEquals(Optional.empty(), PythonLiteral.eval("(".repeat(201) + "1" + ")".repeat(201)));
        assertEquals(Optional.empty(), PythonLiteral.eval("[(".repeat(100) + "[]" + ")]".repeat(100)));
        String deep = "[".repeat(20_000) + "]".repeat(20_000);
        assertEquals(Map.of("x", deep), load("hosts.ini", "[g]\nh1\n[g:vars]\nx=" + deep + "\n").host("h1").orElseThrow().vars());
    }

    private static List<Object> nested(int depth) {
        List<Object> out = List.of();
        for (int d = 1; d < depth; d++) {
            out = List.of(out);
        }
        return out;
    }
}
