package dev.opsctl.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellCompleterTest {
    @TempDir
    Path dir;

    private List<String> complete(String typed) throws Exception {
        ShellFixture f = new ShellFixture(dir);
        try (IncidentShell shell = f.shell()) {
            return shell.candidates(typed);
        }
    }

    @Test
    void commandsAndBuiltinsAtTheStartOfTheLine() throws Exception {
        List<String> c = complete("");
        assertTrue(c.containsAll(List.of("run", "rollout", "runs", "checklist", "exec", "status", "use", "help", "history", "exit", "quit")), c.toString());
    }

    @Test
    void timeCompletesTheCommandItRuns() throws Exception {
        assertTrue(complete("").containsAll(List.of("time", "disconnect")), complete("").toString());
        assertEquals(List.of("list", "show"), complete("time runs "));
        assertEquals(complete("run deploy.yaml -"), complete("time run deploy.yaml -"));
    }

    @Test
    void subcommandsOfAGroup() throws Exception {
        assertEquals(List.of("list", "show"), complete("runs "));
        assertEquals(List.of("run"), complete("checklist "));
    }

    @Test
    void optionsOfTheCommandFromThePicocliModel() throws Exception {
        List<String> c = complete("run deploy.yaml -");
        assertTrue(c.containsAll(List.of("-i", "--inventory", "-l", "--limit", "-e", "--param", "-y", "--yes", "--state-dir")), c.toString());
        assertTrue(!c.contains("--sudo"), "options of another command are not offered: " + c);
    }

    @Test
    void runbookNamesForRollout() throws Exception {
        assertEquals(List.of("config-backup", "userns-remap"), complete("rollout "));
        assertEquals(List.of("config-backup", "userns-remap"), complete("rollout user"), "JLine filters by the prefix");
    }

    @Test
    void checklistNamesForChecklistRun() throws Exception {
        assertEquals(List.of("daily", "weekly"), complete("checklist run "));
    }

    @Test
    void runIdsForRunsShow() throws Exception {
        assertEquals(List.of("20261122-0201-userns-remap", "20261121-2300-config-backup"), complete("runs show "));
    }

    @Test
    void hostsAndGroupsOfTheInventoryOnTheLineForLimit() throws Exception {
        List<String> c = complete("exec -i prod-inventory.ini -l ");
        assertEquals(List.of("web1", "web2", "db1", "all", "db", "web"), c);
        assertEquals(c, complete("exec --inventory=prod-inventory.ini --limit "));
    }

    @Test
    void hostsOfTheSessionInventoryForLimit() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        try (IncidentShell shell = IncidentShell.piped(f.setup(Optional.of(dir.resolve("prod-inventory.ini")), Optional.empty()),
                new java.io.ByteArrayInputStream(new byte[0]), f.screen)) {
            assertTrue(shell.candidates("checklist run daily -l ").containsAll(List.of("web1", "web2", "db1")));
            assertTrue(shell.candidates("run x.yaml -l ").contains("web2"));
        }
    }

    @Test
    void noHostsWithoutAnInventory() throws Exception {
        assertEquals(List.of(), complete("exec -l "));
    }

    @Test
    void enumValuesForAnEnumOption() throws Exception {
        assertEquals(List.of("text", "json"), complete("run x.yaml -o "));
    }

    @Test
    void nothingAfterTheDoubleDash() throws Exception {
        assertEquals(List.of(), complete("exec -i prod-inventory.ini -- upt"));
    }

    @Test
    void builtinUseOffersItsOptions() throws Exception {
        assertEquals(List.of("-i", "--inventory", "--none"), complete("use "));
    }

    @Test
    void jlineCompleterFillsCandidatesForAParsedLine() throws Exception {
        ShellFixture f = new ShellFixture(dir);
        try (IncidentShell shell = f.shell()) {
            List<Candidate> out = new ArrayList<>();
            String typed = "runs sh";
            shell.completer().complete(shell.reader(),
                    new DefaultParser().parse(typed, typed.length(), org.jline.reader.Parser.ParseContext.COMPLETE), out);
            assertTrue(out.stream().anyMatch(c -> c.value().equals("show") && "Show one run.".equals(c.descr())), out.toString());
        }
    }
}
