package dev.opsctl.inventory;

import static dev.opsctl.inventory.InventoryLoaderTest.load;
import static dev.opsctl.inventory.InventoryLoaderTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Ansible's connection variables resolve as ansible-core 2.14 resolves them (checked with
 * {@code ansible -vvvv} against the same inventories), and those opsctl cannot honour are refused
 * where they are written.
 */
class AnsibleVarsTest {
    @Test
    void theOldSshNamesAreReadAndWinAsInAnsible() {
        Inventory inv = load("hosts.ini", """
                h1 ansible_host=127.0.0.5 ansible_ssh_host=127.0.0.6 ansible_port=2201 ansible_ssh_port=2202 ansible_user=u1 ansible_ssh_user=u2
                h2 ansible_host=127.0.0.5
                h3 ansible_ssh_host=10.0.0.9 ansible_ssh_port=2200 ansible_ssh_user=ops ansible_private_key_file=~/.ssh/ops
                [late]
                h2
                [late:vars]
                ansible_ssh_host=127.0.0.7
                """);
        Host h1 = inv.host("h1").orElseThrow();
        assertEquals("127.0.0.6", h1.address());
        assertEquals(Optional.of(2202), h1.port());
        assertEquals(Optional.of("u2"), h1.user());
        // Ansible merges the variables first, then reads its names: a group's ansible_ssh_host beats a host's ansible_host
        assertEquals("127.0.0.7", inv.host("h2").orElseThrow().address());
        Host h3 = inv.host("h3").orElseThrow();
        assertEquals("10.0.0.9", h3.address());
        assertEquals(Optional.of(2200), h3.port());
        assertEquals(Optional.of("ops"), h3.user());
        assertEquals(Optional.of("~/.ssh/ops"), h3.identityFile());
    }

    @Test
    void aBadPortNamesTheVariableItCameFrom() {
        String out = problems("hosts.ini", "h1 ansible_ssh_port=22x\n");
        assertTrue(out.contains("hosts.ini:1:1: error: host 'h1': 'ansible_ssh_port' must be a port number (1-65535), not '22x'"), out);
    }

    @Test
    void becomeUserIsReadRootWhenUnset() {
        Inventory inv = load("inv.yaml", """
                all:
                  hosts:
                    db1: {ansible_become: true, ansible_become_user: postgres}
                    db2: {ansible_become: yes}
                    db3: {ansible_become_user: postgres}
                """);
        Host db1 = inv.host("db1").orElseThrow();
        assertTrue(db1.become());
        assertEquals("postgres", db1.becomeUser());
        assertEquals("root", inv.host("db2").orElseThrow().becomeUser());
        assertFalse(inv.host("db3").orElseThrow().become(), "a become user alone does not turn become on");
        Inventory opsctl = load("inv.yaml", """
                apiVersion: opsctl/v1
                kind: Inventory
                hosts:
                  db1: {become: true, become_user: postgres}
                """);
        assertEquals("postgres", opsctl.host("db1").orElseThrow().becomeUser());
    }

    @Test
    void passwordsInTheInventoryAreRefusedWhereTheyAreWrittenWithoutShowingThem() {
        String out = problems("hosts.ini", """
                [web]
                web[01:20] ansible_ssh_pass=hunter2-login
                [web:vars]
                ansible_user=deploy
                  ansible_become_password=hunter2 sudo, pass}word
                """);
        assertTrue(out.contains("hosts.ini:2:12: error: host 'web01' sets 'ansible_ssh_pass': opsctl logs in with keys or an "
                + "ssh-agent, never with a password"), out);
        assertTrue(out.contains("hint: authorize a key for that login (ssh-copy-id) and remove 'ansible_ssh_pass'"), out);
        assertEquals(1, out.lines().filter(l -> l.contains("ansible_ssh_pass':")).count(), "one error for the range line:\n" + out);
        assertTrue(out.contains("hosts.ini:5:3: error: group 'web' sets 'ansible_become_password': opsctl does not read a sudo "
                + "password from an inventory"), out);
        assertTrue(out.contains("--ask-sudo-password, --sudo-password-env NAME or --sudo-password-file FILE"), out);
        assertFalse(out.contains("hunter2") || out.contains("sudo,") || out.contains("pass}word"), out);
    }

    @Test
    void sshArgumentsThatRouteOrLogInOtherwiseAreRefusedTheRestIgnored() {
        String out = problems("inv.yaml", """
                all:
                  vars:
                    ansible_user: deploy
                    ansible_ssh_common_args: '-o ProxyCommand="ssh -W %h:%p -q bastion"'
                  children:
                    dmz:
                      hosts:
                        gw1: {ansible_ssh_extra_args: -J jump.example}
                """);
        assertTrue(out.contains("inv.yaml:4:5: error: group 'all' sets 'ansible_ssh_common_args' with 'ProxyCommand'"), out);
        assertTrue(out.contains("inv.yaml:8:15: error: host 'gw1' sets 'ansible_ssh_extra_args' with '-J'"), out);
        assertTrue(problems("hosts.ini", "h1 ansible_ssh_args='-o ProxyJump=bastion'\n")
                .contains("hosts.ini:1:4: error: host 'h1' sets 'ansible_ssh_args' with 'ProxyJump'"));
        assertTrue(out.contains("hint: write it in ~/.ssh/config"), out);
        Inventory inv = load("hosts.ini",
                "h1 ansible_ssh_common_args='-o StrictHostKeyChecking=no -o ControlPersist=60s' ansible_ssh_extra_args='-L 5432:db:5432'\n");
        assertEquals("h1", inv.host("h1").orElseThrow().address());
    }

    @Test
    void becomeMethodsOtherThanSudoAreRefused() {
        String out = problems("hosts.ini", "h1 ansible_become=true ansible_become_method=su\n");
        assertTrue(out.contains("hosts.ini:1:24: error: host 'h1' sets ansible_become_method 'su': opsctl becomes another user "
                + "with sudo only"), out);
        load("hosts.ini", "h1 ansible_become=true ansible_become_method=sudo\n");
    }
}
