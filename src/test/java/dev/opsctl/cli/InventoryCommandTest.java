package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class InventoryCommandTest {
    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new InventoryCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void listsSelectedHostsAndShowsOneWithSecretsMasked() throws Exception {
        Path inv = Files.createTempFile("inv", ".ini");
        Files.writeString(inv, "[web]\nweb1 ansible_host=10.0.0.1 ansible_become=yes app_db_password=hunter2\nweb2\n[db]\ndb1 ansible_port=2222\n");
        String[] list = run("list", "-i", inv.toString(), "-l", "web");
        assertEquals("0", list[0], list[2]);
        assertTrue(list[1].contains("web1  10.0.0.1"), list[1]);
        assertFalse(list[1].contains("db1"), list[1]);
        String[] show = run("show", "-i", inv.toString(), "web1");
        assertEquals("0", show[0], show[2]);
        assertTrue(show[1].contains("app_db_password: ********"), show[1]);
        assertTrue(show[1].contains("sudo:       yes, as root"), show[1]);
        assertFalse(show[1].contains("hunter2"), show[1]);
        String[] missing = run("show", "-i", inv.toString(), "web3");
        assertEquals("2", missing[0]);
        assertTrue(missing[2].contains("no host 'web3'"), missing[2]);
    }

    @Test
    void printsInventoryProblemsCompilerStyle() throws Exception {
        Path inv = Files.createTempFile("inv", ".ini");
        Files.writeString(inv, "[web:kids]\n");
        String[] r = run("list", "-i", inv.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains(":1:6: error: unknown section type 'kids'"), r[2]);
    }
}
