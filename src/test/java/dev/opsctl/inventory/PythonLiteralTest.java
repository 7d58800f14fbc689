package dev.opsctl.inventory;

import static dev.opsctl.inventory.InventoryLoaderTest.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
