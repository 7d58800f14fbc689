package dev.opsctl.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.source.Problems;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostPatternTest {
    private static final Inventory INV = InventoryLoader.parse("inv.yaml", InventoryLoaderTest.OPSCTL, new Problems()).orElseThrow();

    private static List<String> names(String pattern) throws HostPatternException {
        return HostPattern.select(INV, pattern).stream().map(Host::name).toList();
    }

    @Test
    void selectsAllGroupsHostsAndGlobsInInventoryOrder() throws Exception {
        assertEquals(List.of("web01", "web02", "db1", "local"), names("all"));
        assertEquals(List.of("web01", "web02", "db1", "local"), names("*"));
        assertEquals(List.of("web01", "web02"), names("web"));
        assertEquals(List.of("web01", "db1"), names("db1,web01"), "inventory order, not pattern order");
        assertEquals(List.of("web01", "web02"), names("web0*"));
        assertEquals(List.of("web02"), names("~web0[2-9]"));
    }

    @Test
    void combinesUnionIntersectionAndExclusion() throws Exception {
        assertEquals(List.of("web01", "web02", "local"), names("web:local"));
        assertEquals(List.of("web01", "web02"), names("prod:&web"));
        assertEquals(List.of("web02", "db1"), names("prod:!web01"));
        assertEquals(List.of("db1", "local"), names("all:!web"));
    }

    @Test
    void aTermThatMatchesNothingIsAnErrorWithDidYouMean() {
        HostPatternException e = assertThrows(HostPatternException.class, () -> names("wbe"));
        assertTrue(e.getMessage().contains("'wbe' in host pattern 'wbe' matches no host or group"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'web'?"), e.getMessage());
        HostPatternException empty = assertThrows(HostPatternException.class, () -> names("web:&local"));
        assertTrue(empty.getMessage().contains("selects no hosts"), empty.getMessage());
    }
}
