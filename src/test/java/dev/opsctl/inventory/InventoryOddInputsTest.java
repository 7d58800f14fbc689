package dev.opsctl.inventory;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import dev.opsctl.source.Problems;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whatever a file holds, a loader reports problems or an inventory: no exception or error escapes it. */
class InventoryOddInputsTest {
    private static final String DEEP = "[".repeat(20_000) + "]".repeat(20_000);

    @Test
    void oddInputsAreReadOrRefusedWithoutAnExceptionEscaping() {
        List<String> ini = List.of("[g:vars]\nx=" + DEEP + "\n[g]\n", "h1 x=" + DEEP + "\n", "h1 x=\"\\x-1\" y='\\U7FFFFFFF'\n",
                "[g:vars]\nx=\"\\U00110000\"\n[g]\n", "[g:vars]\nx=(" + "{".repeat(5_000) + "\n[g]\n", "h1 x=\"\\ud800\" y=\"\0\"\n",
                "h[1:2:0]\n", "h[:]\n", "[g:children]\ng\n", "\ufeffh1\n", "\\\n", "=\n", "[\n", "[]\n", "[:vars]\n");
        List<String> yaml = List.of("all:\n  vars:\n    x: " + DEEP + "\n", "all: " + "{a: ".repeat(5_000) + "1" + "}".repeat(5_000) + "\n",
                "all:\n  hosts:\n    h1: {x: \"\\U0010FFFF\"}\n", "all:\n  children:\n    all:\n", "all:\n  hosts: [h1]\n");
        ini.forEach(text -> assertDoesNotThrow(() -> InventoryLoader.parse("hosts.ini", text, new Problems()), text));
        yaml.forEach(text -> assertDoesNotThrow(() -> InventoryLoader.parse("hosts.yml", text, new Problems()), text));
    }
}
