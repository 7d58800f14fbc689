package dev.opsctl.inventory;

import static dev.opsctl.inventory.InventoryLoaderTest.load;
import static dev.opsctl.inventory.InventoryLoaderTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** INI constructs where GeneratedInventoriesAgainstAnsibleTest found opsctl reading otherwise than Ansible. */
class AnsibleIniReaderTest {
    @Test
    void aHostLineIsSplitAsAShellSplitsIt() {
        Host h = load("hosts.ini", "h1 a=\"x y\" b=x\\ y c=\"q\\\"q\" e='z'\"w\" d=x#y f=dropped\n").host("h1").orElseThrow();
        assertEquals(Map.of("a", "x y", "b", "x y", "c", "q\"q", "d", "x", "e", "zw"), h.vars());
        assertEquals(java.util.List.of("h2"), load("hosts.ini", "h2#x\n").hosts().stream().map(Host::name).toList());
    }

    @Test
    void anUnclosedQuoteOnAHostLineIsRefusedWhereItOpens() {
        String out = problems("hosts.ini", "[web]\nh1 note=\"two words\n");
        assertTrue(out.contains("hosts.ini:2:9: error: the quote \" opened here is never closed"), out);
        assertTrue(out.contains("close every quote"), out);
    }
}
