package dev.opsctl.inventory;

import static dev.opsctl.inventory.InventoryLoaderTest.load;
import static dev.opsctl.inventory.InventoryLoaderTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** YAML constructs where GeneratedInventoryFilesAgainstAnsibleTest found opsctl reading otherwise than Ansible. */
class AnsibleYamlInventoryTest {
    @Test
    void scalarsAreTypedAsAnsiblesYaml11ReaderTypesThem() {
        Host h = load("hosts.yml", """
                all:
                  hosts:
                    h1:
                      hex: 0x1F
                      under: 1_000
                      big: 99999999999999999999
                      yes_: yes
                      off_: off
                      octal: 010
                      sexagesimal: 1:30
                      no_dot: 1e3
                      oct_py: 0o17
                      quoted: '010'
                      inf: .inf
                      date: 2001-01-01
                """).host("h1").orElseThrow();
        Map<String, Object> expected = new java.util.HashMap<>(Map.of("hex", 31, "under", 1000, "big", new java.math.BigInteger("99999999999999999999"),
                "yes_", true, "off_", false, "octal", 8, "sexagesimal", 90, "no_dot", "1e3", "oct_py", "0o17", "quoted", "010"));
        expected.putAll(Map.of("inf", Double.POSITIVE_INFINITY, "date", "2001-01-01"));
        assertEquals(expected, h.vars());
    }

    @Test
    void aQuotedValueAfterAnEmojiStaysText() {
        Host h = load("emoji.yml", """
                # 🚀 production 🚀
                all:
                  hosts:
                    h1: {label: "🔥 hot", mode: "0700", user: "null", hex: "0x1F", flag: 'yes', plain: 010}
                """).host("h1").orElseThrow();
        assertEquals(Map.of("label", "🔥 hot", "mode", "0700", "user", "null", "hex", "0x1F", "flag", "yes", "plain", 8), h.vars());
    }

    @Test
    void aSectionGivenAsOneNameIsThatEntryAndAFalsyHostValueIsNoVariables() {
        Inventory inv = load("hosts.yml", "all:\n  children:\n    web:\n      hosts: web1\n    db:\n      hosts:\n        db1: ''\n        db2: 0\n");
        assertEquals(List.of("web1"), inv.groups().get("web"));
        assertEquals(List.of("db1", "db2"), inv.groups().get("db"));
    }

    @Test
    void whatAnsiblesYamlRefusesIsRefusedAtItsLine() {
        String out = problems("hosts.yml", "all:\n  hosts:\n    123:\n    '124':\n  vars:\n    x: =\n");
        assertTrue(out.contains("hosts.yml:3:5: error: the host name '123' is not text"), out);
        assertTrue(out.contains("quote it: '123'"), out);
        assertTrue(out.contains("hosts.yml:6:8: error: a plain '=' is no value Ansible can read"), out);
        assertTrue(problems("hosts.yml", "'':\n  hosts:\n    h1:\n").contains("hosts.yml:1:1: error: the group name is empty"));
    }
}
