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
    void selectsAllGroupsHostsAndGlobsInThePatternsOrder() throws Exception {
        assertEquals(List.of("web01", "web02", "db1", "local"), names("all"));
        assertEquals(List.of("web01", "web02", "db1", "local"), names("*"));
        assertEquals(List.of("web01", "web02"), names("web"));
        assertEquals(List.of("db1", "web01"), names("db1,web01"), "the pattern's order, as Ansible runs them");
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

    @Test
    void aCanaryGroupNamedFirstComesFirstAndIntersectionsAndExclusionsKeepTheOrder() throws Exception {
        Inventory inv = InventoryLoaderTest.load("canary.ini", """
                [db]
                app3
                [app_hosts]
                app1
                app2
                app3
                [app_canary]
                app3
                """);
        assertEquals(List.of("app3", "app1", "app2"), names(inv, "app_canary:app_hosts"));
        assertEquals(List.of("app1", "app2", "app3"), names(inv, "app_hosts"), "the group's order, not all's (app3 first)");
        assertEquals(List.of("app2", "app1"), names(inv, "app2:app_hosts:!app3"));
        assertEquals(List.of("app3", "app1"), names(inv, "app_canary:app_hosts:&~app[13]"));
        List<Host> targets = HostPattern.select(inv, "app_canary:app_hosts");
        assertEquals(List.of("app3", "app2"), HostPattern.parse("app2:app3").limit(inv, targets).stream().map(Host::name).toList(),
                "a limit keeps the targets' order");
    }

    @Test
    void aGlobMeetsHostNamesInTheOrderTheyWereDeclared() throws Exception {
        Inventory inv = InventoryLoaderTest.load("glob.ini", """
                [web]
                app1
                app2
                [prod:children]
                web
                [db]
                app3
                """);
        assertEquals(List.of("app3", "app1", "app2"), names(inv, "all"));
        assertEquals(List.of("app1"), names(inv, "app*[0]"));
        assertEquals(List.of("app1", "app2", "app3"), names(inv, "~app"));
    }

    @Test
    void aSubscriptOnAnEmptyGroupSelectsNothingAsInAnsible() throws Exception {
        Inventory inv = InventoryLoaderTest.load("empty.ini", """
                [web]
                web1
                [eu]
                """);
        assertEquals(List.of("web1"), names(inv, "eu[2:0]:web"));
        assertEquals(List.of("web1"), names(inv, "eu[0],web"));
        HostPatternException e = assertThrows(HostPatternException.class, () -> names(inv, "eu[2:0]"));
        assertTrue(e.getMessage().contains("host pattern 'eu[2:0]' selects no hosts"), e.getMessage());
        HostPatternException outside = assertThrows(HostPatternException.class, () -> names(inv, "web[1]"));
        assertTrue(outside.getMessage().contains("is outside the 1 hosts of 'web'"), outside.getMessage());
    }

    @Test
    void aSubscriptCountsAHostOnceForEachGroupAndNameAGlobMatches() throws Exception {
        Inventory inv = InventoryLoaderTest.load("overlap.ini", InventoryAgainstAnsibleTest.OVERLAPPING); // Ansible's reading is checked there
        assertEquals(List.of("web1", "web2", "web3"), names(inv, "web*[1:3]"));
        assertEquals(List.of("web4"), names(inv, "web*[-1]"));
        HostPatternException outside = assertThrows(HostPatternException.class, () -> names(inv, "web*[9]"));
        assertTrue(outside.getMessage().contains("'web*[9]' in host pattern 'web*[9]' is outside the 9 hosts of 'web*' (4 distinct: as in"
                + " Ansible, a host counts once for each group and name the term matches); the first is [0], the last [-1]"),
                outside.getMessage());
    }

    @Test
    void aPatternThatReachesAHostNamedLikeAGroupOfOtherHostsIsRefused() throws Exception {
        Inventory inv = InventoryLoaderTest.load("lb.ini", """
                lb
                [lb]
                lb1
                lb2
                [web]
                web1
                """);
        for (String pattern : List.of("lb", "all:!lb", "web:&lb", "lb[0]", "lb[0:1]", "l*", "~l", "web,!lb")) {
            HostPatternException e = assertThrows(HostPatternException.class, () -> names(inv, pattern), pattern);
            assertTrue(e.getMessage().contains("in host pattern '" + pattern + "' "), e.getMessage());
            assertTrue(e.getMessage().contains("'lb', which is both a host (declared at lb.ini:1:1) and a group (declared at lb.ini:2:1)"
                    + " that holds other hosts: Ansible reads 'lb' as the host but '!lb', '&lb' and 'lb[0]' as the group"), e.getMessage());
            assertTrue(e.getMessage().contains("; rename the group"), e.getMessage());
        }
        HostPatternException exclusion = assertThrows(HostPatternException.class, () -> names(inv, "all:!lb"));
        assertTrue(exclusion.getMessage().startsWith("'!lb' in host pattern 'all:!lb' names 'lb'"), exclusion.getMessage());
        HostPatternException glob = assertThrows(HostPatternException.class, () -> names(inv, "l*"));
        assertTrue(glob.getMessage().startsWith("'l*' in host pattern 'l*' matches 'lb'"), glob.getMessage());
        assertEquals(List.of("lb1", "lb2", "web1"), names(inv, "lb?:web"));
        assertEquals(List.of("lb", "lb1", "web1"), names(inv, "all:!lb?[1]"));
        assertEquals(List.of("lb", "lb1", "lb2", "web1"), names(inv, "*"));
        assertEquals(List.of("lb", "lb1", "lb2", "web1"), names(inv, "all"));
    }

    @Test
    void aGlobThatMatchesOnlyEmptyGroupsSaysSo() throws Exception {
        Inventory inv = InventoryLoaderTest.load("empty.ini", """
                [web]
                web1
                [uat]
                """);
        HostPatternException e = assertThrows(HostPatternException.class, () -> names(inv, "u*"));
        assertEquals("'u*' in host pattern 'u*' matches only empty groups (ungrouped, uat) in 'empty.ini'; add hosts to them or"
                + " name a group that has some", e.getMessage());
    }

    @Test
    void ungroupedIsAlwaysAGroupAsInAnsible() throws Exception {
        assertEquals(List.of("web01", "web02", "db1"), names("all:!ungrouped"));
        Inventory grouped = InventoryLoaderTest.load("grouped.ini", """
                [web]
                web1
                """);
        assertEquals(List.of("web1"), names(grouped, "all:!ungrouped"));
        HostPatternException e = assertThrows(HostPatternException.class, () -> names(grouped, "ungrouped"));
        assertTrue(e.getMessage().contains("selects no hosts"), e.getMessage());
    }

    @Test
    void colonsSplitUnlessAnsibleParsesTheWholePatternAsAnAddress() {
        assertEquals(List.of("dc1", "dc2", "dc3"), HostPatternTerms.split("dc1:dc2:dc3"));
        assertEquals(List.of("ab", "cd", "ef"), HostPatternTerms.split("ab:cd:ef"));
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7"), HostPatternTerms.split("1:2:3:4:5:6:7"));
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "192.0.2.3"), HostPatternTerms.split("1:2:3:4:5:6:192.0.2.3"),
                "Ansible's IPv4-in-IPv6 forms start with '::' or zeros");
        assertEquals(List.of("all", "!web", "&db"), HostPatternTerms.split("all:!web:&db"));
        assertEquals(List.of("12345", "1"), HostPatternTerms.split("12345::1"), "a group of five hex digits is no IPv6 group");
        for (String whole : List.of("2001:db8::1", "::1", "::", "fe80::", "1:2:3:4:5:6:7:8", "2001:db8:0:0:1::", "::ffff:192.0.2.3",
                "ab:cd:ef:01:23:45:67:89", "web:10", "10.0.0.9:2200", "web[0:2]:10", "[::1]:22",
                // Ansible's IPv6 expression is anchored at the end only in its last alternative
                "ab:cd:ef:01:23:45:67:89:10", "1:2:3:4:5:6:7:8:9", "db::web", "1::2::3", "::ffff:192.0.2.300")) {
            assertEquals(List.of(whole), HostPatternTerms.split(whole), whole);
        }
    }

    @Test
    void aWholePatternThatNamesNoHostIsRefusedWithTheCommaForm() throws Exception {
        Inventory inv = InventoryLoaderTest.load("ten.ini", """
                [web]
                web1
                [10]
                ten1
                """);
        assertEquals(List.of("web1", "ten1"), names(inv, "web,10"));
        assertEquals(List.of("web1", "ten1"), names(inv, "web::10"), "'web:' starts no IPv6 address");
        for (String pattern : List.of("web:10", "10::web")) {
            HostPatternException e = assertThrows(HostPatternException.class, () -> names(inv, pattern), pattern);
            assertTrue(e.getMessage().startsWith("'" + pattern + "' in host pattern '" + pattern + "' matches no host or group"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("Ansible reads '" + pattern + "' whole, as one host name or address"), e.getMessage());
            assertTrue(e.getMessage().contains("for several terms write '" + pattern.replace("::", ",").replace(":", ",") + "'"),
                    e.getMessage());
        }
    }

    @Test
    void theCommaHintComesOnlyWithAComma() {
        Inventory inv = InventoryLoaderTest.load("dc.ini", """
                [dc1]
                a1
                [dc2]
                b1
                """);
        HostPatternException colons = assertThrows(HostPatternException.class, () -> names(inv, "dc1:dc2:dc3"));
        assertTrue(colons.getMessage().contains("'dc3' in host pattern 'dc1:dc2:dc3' matches no host or group"), colons.getMessage());
        assertTrue(!colons.getMessage().contains("comma"), colons.getMessage());
        HostPatternException comma = assertThrows(HostPatternException.class, () -> names(inv, "dc1:!dc2,a1"));
        assertTrue(comma.getMessage().contains("'dc1:!dc2' in host pattern"), comma.getMessage());
        assertTrue(comma.getMessage().contains("write 'a:!b:c' or 'a,!b,c'"), comma.getMessage());
    }

    @Test
    void aNameOfThisMachineReachesTheInventorysLocalhostAndNoMadeUpOne() throws Exception {
        Inventory inv = InventoryLoaderTest.load("local.ini", """
                [web]
                web1
                [local]
                localhost ansible_connection=local
                """);
        for (String pattern : List.of("localhost", "127.0.0.1", "::1", "127.0.0.1[0]", "web,::1")) {
            assertEquals(pattern.startsWith("web") ? List.of("web1", "localhost") : List.of("localhost"), names(inv, pattern), pattern);
        }
        assertEquals(List.of("web1"), names(inv, "all:!127.0.0.1"));
        Inventory noLocal = InventoryLoaderTest.load("nolocal.ini", "[web]\nweb1\n");
        for (String pattern : List.of("localhost", "web:127.0.0.1", "all,!::1")) {
            HostPatternException e = assertThrows(HostPatternException.class, () -> names(noLocal, pattern), pattern);
            assertTrue(e.getMessage().contains("in host pattern '" + pattern + "' names no host in 'nolocal.ini', where Ansible would"
                    + " make up an implicit localhost (this machine, over a local connection); to run on this machine, add"
                    + " 'localhost ansible_connection=local' to the inventory"), e.getMessage());
        }
    }

    @Test
    void aSubscriptHasAsManyDigitsAsItIsWritten() throws Exception {
        Inventory inv = InventoryLoaderTest.load("digits.ini", """
                [db]
                db1
                db2
                db3
                """);
        assertEquals(List.of("db2", "db3"), names(inv, "db[1:99999999999]"), "to the end");
        assertEquals(List.of("db1"), names(inv, "db[0000000000000]"));
        for (String pattern : List.of("db[12345678901]", "db[-12345678901]", "db?[0123456789]")) {
            HostPatternException e = assertThrows(HostPatternException.class, () -> names(inv, pattern), pattern);
            assertTrue(e.getMessage().contains("is outside the 3 hosts of"), e.getMessage());
        }
        HostPatternException past = assertThrows(HostPatternException.class, () -> names(inv, "db[99999999999:]"));
        assertTrue(past.getMessage().contains("selects no hosts"), past.getMessage());
    }

    @Test
    void patternsSplitAtWhitespaceAsPythonKnowsIt() throws Exception {
        Inventory inv = InventoryLoaderTest.load("spaces.ini", """
                [web]
                web1
                web2
                [db]
                db1
                """);
        assertEquals(List.of("web1", "web2", "db1"), names(inv, "web\u00a0db"), "a no-break space separates terms");
        assertEquals(List.of("web1", "db1"), names(inv, "\u2003web1,\u00a0db1\u202f"), "and is stripped around them");
        assertEquals(List.of("web2"), names(inv, "web\u0085!web1"));
    }

    @Test
    void aGlobClassReadsAsFnmatchReadsIt() throws Exception {
        Inventory inv = InventoryLoaderTest.load("fn.ini", """
                [web]
                web1
                web-2
                z1
                """);
        HostPatternException backwards = assertThrows(HostPatternException.class, () -> names(inv, "[z-a]*"));
        assertTrue(backwards.getMessage().contains("'[z-a]*' in host pattern '[z-a]*' matches no host or group"), backwards.getMessage());
        assertTrue(!backwards.getMessage().contains("regular expression"), backwards.getMessage());
        assertEquals(List.of("z1"), names(inv, "[!z-a]1"), "a negated empty class is any character");
        assertEquals(List.of("z1"), names(inv, "[a-cz-az]1"), "a backwards range is dropped, the rest kept");
        assertEquals(List.of("web-2"), names(inv, "web[-]*"));
        assertEquals(List.of("web1"), names(inv, "web[!-]*"));
        HostPatternException regex = assertThrows(HostPatternException.class, () -> names(inv, "~web[z-a]"));
        assertTrue(regex.getMessage().contains("a '~' pattern is a regular expression"), regex.getMessage());
    }

    @Test
    void aTildePatternReadsAsPythonsReModuleReadsIt() throws Exception {
        Inventory inv = InventoryLoaderTest.load("re.ini", """
                [web]
                web1
                web-2
                db1
                ünï
                """);
        assertEquals(List.of("db1"), names(inv, "~(?P<n>db)1"), "a named group");
        assertEquals(List.of("web1"), names(inv, "~(?P<w>w)eb(?P=w)?1"), "a named backreference");
        assertEquals(List.of("db1"), names(inv, "~[[:d]b"), "'[' in a class is a plain character");
        assertEquals(List.of("web-2"), names(inv, "~web[[-]"));
        assertEquals(List.of("db1"), names(inv, "~db1\\Z"), "'\\Z' is the end");
        assertEquals(List.of("ünï"), names(inv, "~\\wnï"), "'\\w' is any letter, as in Python");
        assertEquals(List.of("db1"), names(inv, "~db{1}1|x{"), "a '{' that starts no repeat is a plain character");
    }

    @Test
    void aTildePatternPythonRefusesIsRefusedAndOneItReadsOtherwiseIsReadAsItReadsIt() throws Exception {
        Inventory inv = InventoryLoaderTest.load("re.ini", """
                [web]
                web1
                db1
                """);
        assertEquals(List.of("db1"), names(inv, "~\\144b"), "an octal escape");
        assertEquals(List.of("db1"), names(inv, ",~\\N{LATIN SMALL LETTER D}b"), "a comma keeps the spaces in");
        assertEquals(List.of("db1"), names(inv, "~\\U00000064b"));
        assertEquals(List.of("db1"), names(inv, "~db(?#comment)1"));
        assertEquals(List.of("db1"), names(inv, "~(?i)DB"));
        assertEquals(List.of("db1"), names(inv, ",~(?i:D)b"), "a comma keeps the colon in");
        for (String pattern : List.of("~db\\z", "~\\Qdb\\E", "~\\hdb", "~(?<n>db)", "~(?U)db", "~(?-i)db", "~d(?i)b", "~[\\z]b")) {
            HostPatternException e = assertThrows(HostPatternException.class, () -> names(inv, pattern), pattern);
            assertTrue(e.getMessage().contains("a '~' pattern is a regular expression, write it as Python's re module reads it"),
                    e.getMessage());
        }
    }

    private static List<String> names(Inventory inv, String pattern) throws HostPatternException {
        return HostPattern.select(inv, pattern).stream().map(Host::name).toList();
    }
}
