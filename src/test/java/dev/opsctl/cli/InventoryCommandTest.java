package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryCommandTest {
    @TempDir
    Path tmp;
    private Path inventory;

    @BeforeEach
    void files() throws Exception {
        inventory = Files.writeString(tmp.resolve("hosts.ini"), """
                [db]
                db1 ansible_host=db-primary
                [web]
                web1 ansible_user=deploy
                [corp]
                wiki.corp
                """);
        Files.writeString(tmp.resolve("fleet.conf"), """
                Match originalhost db-primary
                  HostName 10.0.0.5
                Match host 10.0.0.*
                  Port 2222
                  ProxyJump ops@bastion:2200
                Match user deploy
                  IdentityFile /keys/deploy
                Match host *.corp exec "nc -z vpn 22"
                  User corp
                """);
        Files.writeString(tmp.resolve("ssh_config"), """
                Include %s
                Host *
                  User op
                  IdentitiesOnly yes
                """.formatted(tmp.resolve("fleet.conf")));
    }

    @Test
    void listsSelectedHostsAndShowsOneWithSecretsMasked() throws Exception {
        Path inv = Files.writeString(tmp.resolve("inv.ini"),
                "[web]\nweb1 ansible_host=10.0.0.1 ansible_become=yes app_db_password=hunter2\nweb2\n[db]\ndb1 ansible_port=2222\n");
        CliResult list = CliResult.run(Map.of(), tmp, "inventory", "list", "-i", inv.toString(), "-l", "web");
        assertEquals(0, list.code(), list.dump());
        assertTrue(list.out().contains("web1  10.0.0.1"), list.dump());
        assertFalse(list.out().contains("db1"), list.dump());
        CliResult show = CliResult.run(Map.of(), tmp, "inventory", "show", "-i", inv.toString(), "--ssh-config", "none", "web1");
        assertEquals(0, show.code(), show.dump());
        assertTrue(show.out().contains("app_db_password: ********"), show.dump());
        assertTrue(show.out().contains("sudo:       yes, as root"), show.dump());
        assertFalse(show.out().contains("hunter2"), show.dump());
        CliResult missing = CliResult.run(Map.of(), tmp, "inventory", "show", "-i", inv.toString(), "web3");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no host 'web3'"), missing.dump());
    }

    @Test
    void printsInventoryProblemsCompilerStyle() throws Exception {
        Path inv = Files.writeString(tmp.resolve("inv.ini"), "[web:kids]\n");
        CliResult r = CliResult.run(Map.of(), tmp, "inventory", "list", "-i", inv.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(":1:6: error: unknown section type 'kids'"), r.dump());
    }

    private CliResult show(String host, String... more) {
        String[] args = new String[] {"inventory", "show", "-i", inventory.toString(), "--ssh-config", "ssh_config", "--known-hosts",
                "kh", host};
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return CliResult.run(Map.of("TERM", "dumb"), tmp, all);
    }

    @Test
    void showPrintsHowAHostIsReachedAfterTheSshConfigsIncludesAndMatchLines() {
        CliResult db = show("db1");
        assertEquals(0, db.code(), db.dump());
        assertTrue(db.out().contains("ssh:        op@10.0.0.5:2222  (ssh config: " + tmp.resolve("ssh_config") + ")\n"
                + "  via:      ops@bastion:2200\n"), db.dump());
        assertTrue(db.out().contains("  known_hosts: " + tmp.resolve("kh") + "\n"), db.dump());
        CliResult web = show("web1", "--no-agent");
        assertTrue(web.out().contains("ssh:        deploy@web1:22") && web.out().contains("  keys:     /keys/deploy\n"), web.dump());
    }

    @Test
    void showSaysWhyAHostWouldBeRefused() {
        CliResult wiki = show("wiki.corp");
        assertEquals(0, wiki.code(), wiki.dump());
        assertTrue(wiki.out().contains("  refused:  the ssh config '" + tmp.resolve("ssh_config") + "' for 'wiki.corp': "
                + tmp.resolve("fleet.conf") + ":8: 'Match exec nc -z vpn 22' decides by running a command"), wiki.dump());
    }

    @Test
    void anIncludedFileOthersCanWriteStopsTheCommand() throws Exception {
        Files.setPosixFilePermissions(tmp.resolve("fleet.conf"), PosixFilePermissions.fromString("rw-rw-rw-"));
        CliResult r = show("db1");
        assertEquals(2, r.code(), r.dump());
        assertTrue(r.err().contains("opsctl inventory: cannot read the ssh config: bad owner or permissions on '"
                + tmp.resolve("fleet.conf") + "'"), r.dump());
    }
}
