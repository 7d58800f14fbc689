package dev.opsctl.inventory;

import static dev.opsctl.inventory.InventoryLoaderTest.load;
import static dev.opsctl.inventory.InventoryLoaderTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** INI constructs where GeneratedInventoryFilesAgainstAnsibleTest found opsctl reading otherwise than Ansible. */
class AnsibleIniInventoryTest {
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

    @Test
    void valuesAreTypedAsPythonsLiteralEvalReadsThem() {
        Host h = load("hosts.ini", """
                [web]
                h1 half=.5 k=1e3 plus=+3 big=99999999999999999999 t=true T=True none=None o=010 hex=0x1F u=u'x' l="[1, 'x', (2,)]" d="{'a': 1}"
                [web:vars]
                quoted = "a b" # a comment Python skips
                word = a # not a comment: a word is no literal, so all of it stays
                one = 1 # a comment
                """).host("h1").orElseThrow();
        Map<String, Object> expected = new java.util.HashMap<>(Map.of("half", 0.5, "k", 1000.0, "plus", 3,
                "big", new java.math.BigInteger("99999999999999999999"), "t", "true", "T", true, "none", "", "o", "010", "hex", 31,
                "u", "ux"));
        expected.putAll(Map.of("l", java.util.List.of(1, "x", java.util.List.of(2)), "d", Map.of("a", 1), "quoted", "a b",
                "word", "a # not a comment: a word is no literal, so all of it stays", "one", 1));
        assertEquals(expected, h.vars());
    }

    @Test
    void rangesExpandAsAnsibleExpandsThem() {
        Inventory inv = load("hosts.ini", "[web]\nx[:2]\ny[A:C]\nz[a:e:2]\nd[3:1]\nn[08:10]\n[db]\ndb[1:3]-[a:b]\n");
        assertEquals(java.util.List.of("x0", "x1", "x2", "yA", "yB", "yC", "za", "zc", "ze", "n08", "n09", "n10"), inv.groups().get("web"));
        assertEquals(java.util.List.of("db1-a", "db1-b", "db2-a", "db2-b", "db3-a", "db3-b"), inv.groups().get("db"));
        String out = problems("hosts.ini", "[web]\nweb[01:3]\n");
        assertTrue(out.contains("hosts.ini:2:1: error: the host range '[01:3]' in 'web[01:3]' starts with 2 digits but ends with 1"), out);
        assertTrue(problems("inv.yaml", "apiVersion: opsctl/v1\nkind: Inventory\nhosts:\n  web[3:1]: {}\n").contains("stands for no host"));
    }

    @Test
    void aPortAfterTheNameIsReadWhereParseAddressFindsOneAndOnlyWhereTheHostIsFirstDeclared() {
        Inventory inv = load("hosts.ini", "h1:2222\nh0:0\nh_:22\nfe80::1:22\n10.0.0.1:2200 ansible_port=22\n[db]\nh1:2200\n");
        assertEquals(java.util.List.of("h0", "h_:22", "fe80::1:22", "10.0.0.1", "h1"), inv.hosts().stream().map(Host::name).toList());
        assertEquals(java.util.Optional.of(2222), inv.host("h1").orElseThrow().port());
        assertEquals(java.util.Optional.empty(), inv.host("h0").orElseThrow().port());
        assertEquals(java.util.Optional.empty(), inv.host("h_:22").orElseThrow().port());
        assertEquals(java.util.Optional.of(22), inv.host("10.0.0.1").orElseThrow().port());
        assertEquals(java.util.Optional.empty(), load("hosts.yml", "all:\n  hosts:\n    'h1:':\n").host("h1:").orElseThrow().port());
    }

    @Test
    void aNameAnsibleRefusesIsRefusedAtItsLine() {
        assertTrue(problems("hosts.ini", "[web]\nh1: x=1\n").contains("hosts.ini:2:1: error: 'h1:' ends in ':' with no port after it"));
        assertTrue(problems("hosts.ini", "---\n").contains("hosts.ini:1:1: error: '---' is not a host name"));
        assertTrue(problems("hosts.ini", "[web]\n\"\" x=1\n").contains("hosts.ini:2:1: error: the host name is empty"));
    }

    @Test
    void onlyALineInBracketsIsASectionHeaderAndHostsIsASectionType() {
        Inventory inv = load("hosts.ini", """
                [web:hosts] # Ansible's third section type
                [2001:db8::1]:2222 =5
                [h1]:22
                [prod:children]
                web # the web tier
                """);
        assertEquals(java.util.List.of("2001:db8::1", "h1"), inv.groups().get("web"));
        assertEquals(java.util.Optional.of(2222), inv.host("2001:db8::1").orElseThrow().port());
        assertEquals(Map.of("", 5), inv.host("2001:db8::1").orElseThrow().vars().entrySet().stream().filter(e -> e.getKey().isEmpty())
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertEquals(java.util.List.of("2001:db8::1", "h1"), inv.groups().get("prod"));
        String out = problems("hosts.ini", "[web]\nh1\n[prod:children]\nweb extra\n");
        assertTrue(out.contains("hosts.ini:4:1: error: 'web extra' in [prod:children] is not a group name"), out);
    }

    @Test
    void hostsBeforeAnySectionAreListedInUngroupedAndLeaveItForAnotherGroup() {
        Inventory inv = load("hosts.ini", "h1\nh2\n[ungrouped]\nh3\n[web]\nh2\nh4\n[all]\nh5\n");
        assertEquals(java.util.List.of("h5", "h1", "h3", "h2", "h4"), inv.hosts().stream().map(Host::name).toList());
        assertEquals(java.util.List.of("all", "web"), inv.host("h2").orElseThrow().groups().stream().sorted().toList());
    }

    @Test
    void ansibleGroupPriorityOrdersGroupsOfOneDepthAndIsNoVariable() {
        Host h = load("hosts.ini", "[a]\nh1\n[b]\nh1\n[a:vars]\nx=a\nansible_group_priority=10\n[b:vars]\nx=b\n").host("h1").orElseThrow();
        assertEquals(Map.of("x", "a"), h.vars());
        String out = problems("hosts.yml", "all:\n  children:\n    a:\n      vars:\n        ansible_group_priority: high\n");
        assertTrue(out.contains("hosts.yml:5:9: error: group 'a': ansible_group_priority must be a whole number, not 'high'"), out);
        assertTrue(problems("hosts.yml", "a:\n  vars:\n    ansible_group_priority: .inf\n").contains("must be a whole number, not 'Infinity'"));
    }

    @Test
    void aGroupInItsOwnChildrenIsRefusedAtTheEntry() {
        String out = problems("hosts.ini", "[web]\nh1\n[all:children]\nweb\nall\n");
        assertTrue(out.contains("hosts.ini:5:1: error: group 'all' contains itself: all -> all"), out);
    }

    @Test
    void allInTheChildrenOfAnotherGroupIsRefused() {
        String out = problems("hosts.ini", "[edge:children]\nall\n[prod]\nweb01\n");
        assertTrue(out.contains("hosts.ini:2:1: error: group 'all' is in the children of 'edge'"), out);
        assertTrue(problems("hosts.yml", "web:\n  children:\n    all:\n").contains("hosts.yml:3:5: error: group 'all' is in the children of 'web'"));
    }

    @Test
    void theHostsOfAChildOfUngroupedStayInUngrouped() {
        Inventory inv = load("hosts.ini", "[ungrouped:children]\nweb\n[web]\nh1\n");
        assertEquals(java.util.List.of("all", "ungrouped", "web"), inv.host("h1").orElseThrow().groups().stream().sorted().toList());
    }

    @Test
    void linesEndAndAreStrippedAsPythonsSplitlinesAndStripDo() {
        Inventory inv = load("hosts.ini", "h1 ansible_host=10.0.0.1\u2028h2\n");
        assertEquals(java.util.List.of("h1", "h2"), inv.groups().get("ungrouped"));
        assertEquals("10.0.0.1", inv.host("h1").orElseThrow().address());
        inv = load("hosts.ini", "[web]\rh1\rh2\r[db]\rh3\r");
        assertEquals(java.util.List.of("h1", "h2"), inv.groups().get("web"));
        assertEquals(java.util.List.of("h3"), inv.groups().get("db"));
        inv = load("hosts.ini", "[web]\u000bh1\fh2\u001ch3\u001dh4\u001eh5\u0085h6\u2029h7\r\nh8\n");
        assertEquals(java.util.List.of("h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8"), inv.groups().get("web"));
        // Python strips no-break spaces too; shlex then splits only at ' ', '\t', '\r' and '\n'.
        inv = load("hosts.ini", "[g]\n\u00a0h1\u202f x=1\u2007\n[g:vars]\n\u2007y\u00a0=\u00a0 2\u00a0\n[p:children]\u00a0\n\u00a0g\u202f\n");
        assertEquals(Map.of("x", 1, "y", 2), inv.host("h1\u202f").orElseThrow().vars());
        assertEquals(java.util.List.of("h1\u202f"), inv.groups().get("p"));
        String out = problems("hosts.ini", "h1\u2028\u00a0h2 x\n");
        assertTrue(out.contains("hosts.ini:2:5: error: expected 'name=value' after host 'h2', found 'x'"), out);
    }
}
