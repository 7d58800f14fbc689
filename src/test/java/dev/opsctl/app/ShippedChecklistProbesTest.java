package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.action.ActionRegistry;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.checklist.run.ChecklistResult;
import dev.opsctl.checklist.run.ItemResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped checklists' shell probes that count lines of a tool's output, on this machine: each counts what it should,
 * and a tool that fails (a missing file or directory, a path df cannot measure, journalctl refusing a --since, a Docker
 * daemon that does not answer, apt-get failing) or says nothing where it should (a journal without the unit) fails the
 * item with the tool's own error, instead of counting the nothing it printed as "0, all clear". The tools' messages are
 * in the machine's language: the assertions look for the exit code and the path, not the words.
 */
class ShippedChecklistProbesTest {
    private static final Pattern PROBE = Pattern.compile("- id: error-log-clean\\n(?:.*\\n)*?        expect:");

    @TempDir
    Path tmp;

    private static ChecklistResult run(String checklist, Map<String, String> params) throws Exception {
        ChecklistService service = ChecklistService.local(new ChecklistPath(List.of(Path.of("checklists").toAbsolutePath())),
                ActionRegistry.standard());
        return service.run(new ChecklistRequest(checklist, Optional.empty(), Optional.empty(), params, List.of(), Optional.empty(), "oncall",
                Map.of()), ChecklistPrompter.NONE);
    }

    private static ItemResult item(ChecklistResult r, String id) {
        return r.find(id + "@localhost").orElseThrow(() -> new AssertionError(id + " not in " + r.items()));
    }

    private static void assertItem(ItemResult item, String status, String noteContains) {
        String all = item.note() + " " + item.evidence();
        assertEquals(status, item.status().label(), all);
        assertTrue(unquoted(item.note()).contains(unquoted(noteContains)), "note '" + item.note() + "' should contain '" + noteContains
                + "'; " + all);
    }

    /** Without quote marks: the tools quote paths as the locale says (' or ‘’). */
    private static String unquoted(String text) {
        return text.replaceAll("['‘’]", "");
    }

    private static String stdout(ItemResult item) {
        return item.evidence().get(item.evidence().size() - 1).fields().getOrDefault("stdout", "").strip();
    }

    private static void assumeRootWithJournalctl() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/journalctl")));
    }

    @Test
    void userns_bothChecklistsCarryTheSameErrorLogItem() throws Exception {
        Matcher post5 = PROBE.matcher(Files.readString(Path.of("checklists/userns-remap-post-5min.yaml")));
        Matcher complete = PROBE.matcher(Files.readString(Path.of("checklists/userns-remap-complete.yaml")));
        assertTrue(post5.find() && complete.find());
        String text = "\n *text: .*\n";
        assertEquals(post5.group().replaceFirst(text, "\n"), complete.group().replaceFirst(text, "\n"), "one probe, tested once");
    }

    @Test
    void userns_aUnitTheJournalHasNeverSeenFailsTheItemInsteadOfCountingZeroLines() throws Exception {
        assumeRootWithJournalctl();
        String unit = "opsctl-no-such-unit-" + ProcessHandle.current().pid();
        ItemResult item = item(run("userns-remap-complete", Map.of("app_unit", unit)), "error-log-clean");
        assertItem(item, "failed", "the probe failed (rc=1): the journal has no entry at all for unit " + unit
                + " (check app_unit, and that this host keeps a journal)");
    }

    /** A journal as journalctl shows it: {@code errors} lines at priority err, a failing --since refused as journalctl does. */
    private Path journal(int errors) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        executable(bin.resolve("journalctl"), """
                case " $* " in *" 1 hour agoo "*) echo "Failed to parse timestamp: 1 hour agoo" >&2; exit 1 ;; esac
                case " $* " in *" -p err "*) i=0; while [ $i -lt %d ]; do echo "app[1]: ERROR request $i failed"; i=$((i + 1)); done; exit 0 ;; esac
                echo "systemd[1]: Started workspace-app.service."
                """.formatted(errors));
        return bin;
    }

    /** The items of a checklist run as '-o json' printed it, by id. */
    private static Map<String, JsonNode> itemsById(JsonNode checklist) {
        Map<String, JsonNode> byId = new java.util.TreeMap<>();
        checklist.get("items").forEach(i -> byId.put(i.get("id").asText(), i));
        return byId;
    }

    private static JsonNode errorLogItem(JsonNode checklist) {
        return Optional.ofNullable(itemsById(checklist).get("error-log-clean"))
                .orElseThrow(() -> new AssertionError("no error-log-clean in " + checklist));
    }

    @Test
    void userns_countsTheUnitsErrorLinesAndFailsOnAJournalctlThatFails() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "the probe refuses a user who cannot read the journal");
        JsonNode clean = errorLogItem(cli(journal(0), "checklist", "run", "userns-remap-complete", "-o", "json"));
        assertEquals("passed", clean.get("status").asText(), clean.toString());
        assertEquals("0", clean.at("/evidence/0/fields/stdout").asText().strip());
        JsonNode two = errorLogItem(cli(journal(2), "checklist", "run", "userns-remap-complete", "-o", "json"));
        assertEquals("failed", two.get("status").asText(), two.toString());
        assertEquals("2", two.at("/evidence/0/fields/stdout").asText().strip());
        JsonNode badSince = errorLogItem(cli(journal(0), "checklist", "run", "userns-remap-complete", "-o", "json", "-e",
                "error_log_since=1 hour agoo"));
        assertEquals("expected stdout <= max_error_lines; the probe failed (rc=1): Failed to parse timestamp: 1 hour agoo",
                badSince.get("note").asText(), badSince.toString());
    }

    @Test
    void daily_countsTheErrorLinesOfTheLogAndFailsOnALogItCannotRead() throws Exception {
        Path log = Files.writeString(tmp.resolve("app.log"), "start\nERROR disk full\nok\nkernel panic - not syncing\nok\n");
        ItemResult counted = item(run("daily", Map.of("error_log", log.toString())), "error-log-clean");
        assertItem(counted, "failed", "expected stdout <= max_error_lines");
        assertEquals("2", stdout(counted));
        Files.writeString(log, "start\nok\n");
        assertItem(item(run("daily", Map.of("error_log", log.toString())), "error-log-clean"), "passed", "");

        ItemResult missing = item(run("daily", Map.of("error_log", tmp.resolve("no-such.log").toString())), "error-log-clean");
        assertItem(missing, "failed", "the probe failed (rc=1): tail: ");
        assertItem(missing, "failed", tmp.resolve("no-such.log").toString());
        ItemResult badPattern = item(run("daily", Map.of("error_log", log.toString(), "error_pattern", "error(")), "error-log-clean");
        assertItem(badPattern, "failed", "the probe failed (rc=1): grep: ");
        ItemResult dashed = item(run("daily", Map.of("error_log", log.toString(), "error_pattern", "-v")), "error-log-clean");
        assertItem(dashed, "passed", "");
        assertEquals("0", stdout(dashed), "'-v' is a pattern, not grep's option");
    }

    @Test
    void weekly_countsOldLogsAndDiskUsageAndFailsOnWhatItCannotLookAt() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Files.setLastModifiedTime(Files.createFile(logs.resolve("old.log")), FileTime.from(Instant.now().minus(10, ChronoUnit.DAYS)));
        Files.createFile(logs.resolve("new.log"));
        ChecklistResult r = run("weekly", Map.of("log_dir", logs.toString(), "disk_paths", "/", "disk_max_percent", "101"));
        ItemResult old = item(r, "old-logs-removed");
        assertItem(old, "failed", "expected stdout == 0");
        assertEquals("1", stdout(old), "the 10-day-old file, not the new one");
        ItemResult disk = item(r, "disk-usage");
        assertItem(disk, "passed", "");
        assertTrue(stdout(disk).matches("[0-9]{1,3}"), disk.evidence().toString());

        Path gone = tmp.resolve("gone");
        r = run("weekly", Map.of("log_dir", gone.toString(), "disk_paths", "/," + gone, "disk_max_percent", "101"));
        for (String id : List.of("old-logs-removed", "disk-usage")) {
            assertItem(item(r, id), "failed", "the probe failed (rc=1): " + (id.equals("disk-usage") ? "df: " : "find: "));
            assertItem(item(r, id), "failed", gone.toString());
        }
    }

    /** Through the command line in its own JVM, so that the probes find the stand-ins first on PATH. */
    @Test
    void monthly_aDockerOrAptGetThatFailsFailsItsItem() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        stub(bin.resolve("docker"), "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?");
        stub(bin.resolve("apt-get"), "E: The list of sources could not be read.");
        Map<String, JsonNode> byId = itemsById(cli(bin, "checklist", "run", "monthly", "-o", "json"));
        assertEquals("failed", byId.get("images-updated").get("status").asText(), byId.toString());
        assertEquals("expected stdout == 0; the probe failed (rc=1): Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
                + "Is the docker daemon running?", byId.get("images-updated").get("note").asText());
        assertEquals("failed", byId.get("security-updates").get("status").asText(), byId.toString());
        assertEquals("expected stdout <= max_pending_security_updates; the probe failed (rc=1): E: The list of sources could not be read.",
                byId.get("security-updates").get("note").asText());
    }

    @Test
    void monthly_countsTheImagesOlderThanAMonthAndTheSecurityUpdates() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        java.time.LocalDate today = java.time.LocalDate.now();
        // docker's CreatedAt; 'CreatedSince' would say "6 weeks ago" for the first
        executable(bin.resolve("docker"), "printf '%s\\n' '" + today.minusDays(45) + " 10:00:00 +0000 UTC' '"
                + today.minusDays(3) + " 10:00:00 +0000 UTC' '" + today.minusDays(400) + " 10:00:00 +0000 UTC'");
        executable(bin.resolve("apt-get"), "printf '%s\\n' 'Inst libssl3 [3.0.11] (3.0.15 Debian-Security:12/stable-security [amd64])'"
                + " 'Inst vim [2:9.0.1378] (2:9.0.1378-2+deb12u1 Debian:12.8/stable [amd64])'");
        Map<String, JsonNode> byId = itemsById(cli(bin, "checklist", "run", "monthly", "-o", "json"));
        assertEquals("2", byId.get("images-updated").at("/evidence/0/fields/stdout").asText().strip(), "45 and 400 days old: " + byId);
        assertEquals("1", byId.get("security-updates").at("/evidence/0/fields/stdout").asText().strip(), byId.toString());
    }

    /** A stand-in that fails as the tool does when it cannot work: {@code error} on stderr, exit 1. */
    private static void stub(Path file, String error) throws Exception {
        executable(file, "echo '" + error + "' >&2\nexit 1");
    }

    private static void executable(Path file, String script) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }

    private JsonNode cli(Path bin, String... args) throws Exception {
        Files.deleteIfExists(tmp.resolve("stderr.txt"));
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.opsctl.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(tmp.resolve("stderr.txt").toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("HOME", tmp.toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(5, p.exitValue(), "a failed checklist exits 5: " + text + Files.readString(tmp.resolve("stderr.txt")));
        return new ObjectMapper().readTree(text.lines().findFirst().orElse("{}"));
    }
}
