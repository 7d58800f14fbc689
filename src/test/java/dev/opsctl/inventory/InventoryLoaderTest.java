package dev.opsctl.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.source.Problems;
import dev.opsctl.source.SourcePos;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InventoryLoaderTest {
    /** The inventory, which must load without a problem. */
    static Inventory load(String name, String text) {
        Problems p = new Problems();
        Optional<Inventory> inv = InventoryLoader.parse(name, text, p);
        assertTrue(p.isEmpty(), p.render());
        return inv.orElseThrow();
    }

    /** The rendered problems of an inventory that must not load. */
    static String problems(String name, String text) {
        Problems p = new Problems();
        assertTrue(InventoryLoader.parse(name, text, p).isEmpty());
        return p.render();
    }

    static final String OPSCTL = """
            apiVersion: opsctl/v1
            kind: Inventory
            vars: {ntp: 10.0.0.1, tier: none}
            hosts:
              web[01:02]: {address: 10.0.0.5, user: deploy, vars: {weight: 5}}
              db1: {address: 10.0.1.9, port: 2222, become: true}
              local: {connection: local}
            groups:
              web: {hosts: [web01, web02], vars: {tier: web, weight: 1}}
              prod: {children: [web], hosts: [db1], vars: {tier: prod, env: prod}}
            """;

    @Test
    void readsOpsctlYamlWithRangesGroupsAndMergedVars() {
        Inventory inv = load("inv.yaml", OPSCTL);
        assertEquals(List.of("web01", "web02", "db1", "local"), inv.hosts().stream().map(Host::name).toList());
        Host web01 = inv.host("web01").orElseThrow();
        assertEquals("10.0.0.5", web01.address());
        assertEquals(Optional.of("deploy"), web01.user());
        assertEquals("web", web01.vars().get("tier"), "child group wins over parent");
        assertEquals("prod", web01.vars().get("env"), "parent group vars are inherited");
        assertEquals(5, web01.vars().get("weight"), "host vars win over group vars");
        assertEquals("10.0.0.1", web01.vars().get("ntp"));
        assertTrue(web01.groups().containsAll(List.of("all", "web", "prod")));
        Host db1 = inv.host("db1").orElseThrow();
        assertEquals(Optional.of(2222), db1.port());
        assertTrue(db1.become());
        assertEquals(Connection.LOCAL, inv.host("local").orElseThrow().connection());
        assertEquals(List.of("web01", "web02", "db1"), inv.groups().get("prod"));
    }

    @Test
    void readsAnsibleIni() {
        Inventory inv = load("hosts", """
                # ungrouped
                bastion ansible_host=203.0.113.7

                [web]
                web[1:3] ansible_user=deploy
                web9:2201 note="two words"

                [db]
                db1 ansible_host=10.0.1.9 ansible_port=2222 ansible_become=true ansible_ssh_private_key_file=~/.ssh/db

                [prod:children]
                web
                db

                [prod:vars]
                env=prod
                [web:vars]
                env = web
                """);
        assertEquals(List.of("bastion", "web1", "web2", "web3", "web9", "db1"), inv.hosts().stream().map(Host::name).toList());
        assertEquals("203.0.113.7", inv.host("bastion").orElseThrow().address());
        assertEquals(List.of("bastion"), inv.groups().get("ungrouped"));
        Host web9 = inv.host("web9").orElseThrow();
        assertEquals(Optional.of(2201), web9.port());
        assertEquals("two words", web9.vars().get("note"));
        assertEquals("web", web9.vars().get("env"));
        Host db1 = inv.host("db1").orElseThrow();
        assertEquals(Optional.of(2222), db1.port());
        assertEquals(Optional.of("~/.ssh/db"), db1.identityFile());
        assertTrue(db1.become());
        assertEquals("prod", db1.vars().get("env"));
    }

    @Test
    void readsAnsibleYaml() {
        Inventory inv = load("hosts.yml", """
                all:
                  vars: {ansible_user: ops}
                  hosts:
                    jump: {ansible_host: 198.51.100.1}
                  children:
                    web:
                      hosts:
                        web01:
                        web02: {ansible_port: 2202}
                      vars: {ansible_user: deploy}
                    db:
                      hosts:
                        db1: {ansible_connection: local}
                """);
        assertEquals(List.of("jump", "web01", "web02", "db1"), inv.hosts().stream().map(Host::name).toList());
        assertEquals(Optional.of("ops"), inv.host("jump").orElseThrow().user());
        assertEquals(Optional.of("deploy"), inv.host("web01").orElseThrow().user());
        assertEquals(Optional.of(2202), inv.host("web02").orElseThrow().port());
        assertEquals(Connection.LOCAL, inv.host("db1").orElseThrow().connection());
    }

    @Test
    void reportsYamlProblemsWithPositionsAndHints() {
        String out = problems("inv.yaml", """
                apiVersion: opsctl/v1
                kind: Inventory
                hosts:
                  web01: {adress: 10.0.0.5}
                groups:
                  web: {hosts: [web1], children: [dbs]}
                """);
        assertTrue(out.contains("inv.yaml:4:11: error: unknown key 'adress' in host 'web01'"), out);
        assertTrue(out.contains("hint: did you mean 'address'?"), out);
        assertTrue(out.contains("inv.yaml:6:17: error: unknown host 'web1' in group 'web'"), out);
        assertTrue(out.contains("hint: did you mean 'web01'?"), out);
        assertTrue(out.contains("inv.yaml:6:35: error: unknown group 'dbs' in the children of 'web'"), out);
    }

    @Test
    void reportsIniProblemsWithLineAndColumn() {
        String out = problems("hosts.ini", """
                [web]
                web1 ansible_user
                [web:varz]
                [web]
                [db
                  [ app ]
                x=1
                [:vars]
                y=2
                """);
        assertTrue(out.contains("hosts.ini:2:6: error: expected 'name=value' after host 'web1', found 'ansible_user'"), out);
        assertTrue(out.contains("hosts.ini:3:6: error: unknown section type 'varz'"), out);
        // As Ansible reads it, '[db' is a host line; its range has no end.
        assertTrue(out.contains("hosts.ini:5:1: error: '[db' has a '[' without a ']' after it"), out);
        assertTrue(out.contains("a section header ends with ']'"), out);
        assertTrue(out.contains("hosts.ini:6:3: error: '[ app ]' is not a section header"), out);
        assertTrue(out.contains("with no spaces inside the brackets"), out);
        assertTrue(out.contains("hosts.ini:8:1: error: '[:vars]' is not a section header"), out);
        assertEquals(5, out.lines().filter(l -> l.contains(": error: ")).count(), out);
    }

    @Test
    void reportsAGroupCycle() {
        String out = problems("hosts.ini", "[a:children]\nb\n[b:children]\na\n");
        assertTrue(out.contains("contains itself"), out);
    }

    @Test
    void detectsTheFormat() {
        assertTrue(InventoryLoader.looksLikeIni("hosts", "[web]\nweb1\n"));
        assertTrue(InventoryLoader.looksLikeIni("hosts", "web1 ansible_host=x\n"));
        assertFalse(InventoryLoader.looksLikeIni("hosts", "all:\n  hosts:\n"));
        assertFalse(InventoryLoader.looksLikeIni("inv", "apiVersion: opsctl/v1\n"));
    }

    @Test
    void groupsKeepTheOrderAnsibleCreatesThemIn() {
        Inventory inv = load("dc.ini", """
                [dc_west]
                w1
                [dc_east]
                e1
                [dc_north]
                n1
                [dc_south]
                s1
                [dc_central]
                c1
                [dc_edge]
                x1
                [dc_core:children]
                dc_edge
                [dc_lab:vars]
                x=1
                [dc_lab]
                l1
                """);
        assertEquals(List.of("all", "ungrouped", "dc_west", "dc_east", "dc_north", "dc_south", "dc_central", "dc_edge", "dc_core",
                "dc_lab"), List.copyOf(inv.groups().keySet()));
        assertEquals(List.of("w1", "e1", "n1", "s1", "c1", "x1", "l1"), inv.declaredHosts());
    }

    @Test
    void iniChildrenNamedBeforeTheirSectionsJoinInTheOrderTheirSectionsCome() {
        Inventory inv = load("children.ini", """
                [web]
                web1
                [prod:children]
                canary
                web
                db
                [db]
                d1
                [canary]
                web9
                """);
        assertEquals(List.of("web1", "d1", "web9"), inv.groups().get("prod"));
        String out = problems("undefined.ini", """
                [prod:children]
                web
                """);
        assertTrue(out.contains("undefined.ini:2:1: error: unknown group 'web' in the children of 'prod'"), out);
    }

    @Test
    void aVarsSectionDoesNotDeclareItsGroup() {
        String out = problems("varsonly.ini", """
                [web]
                web1
                [dbs:vars]
                x=1
                """);
        assertTrue(out.contains("varsonly.ini:3:1: error: [dbs:vars] sets variables of group 'dbs', which no [dbs] or "
                + "[dbs:children] section declares"), out);
        assertTrue(out.contains("add a [dbs] section (it may be empty)"), out);
        out = problems("named-child.ini", """
                [prod:children]
                db
                [db:vars]
                x=1
                """);
        assertTrue(out.contains("named-child.ini:2:1: error: group 'db' in the children of 'prod' is never declared"), out);
        out = problems("vars-then-child.ini", """
                [db:vars]
                x=1
                [prod:children]
                db
                """);
        assertTrue(out.contains("vars-then-child.ini:1:1: error: [db:vars] sets variables of group 'db'"), out);
        Inventory inv = load("declared-after.ini", """
                [db:vars]
                x=1
                [all:vars]
                y=2
                [db]
                d1
                """);
        assertEquals(1, inv.hosts().get(0).vars().get("x"));
    }

    @Test
    void yamlHostsAndChildrenAreReadInTheOrderWritten() {
        Inventory inv = load("order.yml", """
                all:
                  children:
                    web:
                      hosts: {b1: }
                  hosts:
                    a1:
                """);
        assertEquals(List.of("b1", "a1"), inv.declaredHosts());
    }

    @Test
    void aHostInAGroupOfItsOwnNameLoadsAndIsNotAmbiguous() {
        Inventory inv = load("own.ini", """
                [localhost]
                localhost ansible_connection=local
                [bastion]
                bastion
                """);
        assertEquals(List.of("localhost", "bastion"), inv.hosts().stream().map(Host::name).toList());
        assertEquals(List.of(), inv.ambiguousNames());
    }

    @Test
    void aHostNamedLikeAGroupOfOtherHostsLoadsAndIsRecordedWithBothPositions() {
        Inventory ini = load("lb.ini", """
                lb
                [lb]
                lb1
                lb2
                [web]
                web1
                """);
        assertEquals(List.of(new AmbiguousName("lb", new SourcePos("lb.ini", 1, 1), new SourcePos("lb.ini", 2, 1))), ini.ambiguousNames());
        Inventory yaml = load("lb.yml", """
                all:
                  hosts:
                    web1:
                  children:
                    web1:
                      hosts: {w1: }
                """);
        assertEquals(List.of("web1"), yaml.ambiguousNames().stream().map(AmbiguousName::name).toList());
        assertEquals(new SourcePos("lb.yml", 3, 5), yaml.ambiguousNames().get(0).host());
    }
}
