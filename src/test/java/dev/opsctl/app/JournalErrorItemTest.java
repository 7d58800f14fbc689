package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.checklist.run.ItemResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shipped checklists' 'error-log-clean' item (userns-remap 5.2 and 7.1) on this machine's own journalctl, as root: it
 * counts the unit's error lines, and fails when journalctl fails instead of counting the nothing it printed.
 */
class JournalErrorItemTest {
    private static final Pattern PROBE = Pattern.compile("- id: error-log-clean\\n(?:.*\\n)*?        expect:");

    private static ItemResult errorLogItem(Map<String, String> params) throws Exception {
        ChecklistService service = ChecklistService.local(new ChecklistPath(List.of(Path.of("checklists").toAbsolutePath())),
                ActionRegistry.standard());
        return service.run(new ChecklistRequest("userns-remap-complete", Optional.empty(), Optional.empty(), params, List.of(),
                Optional.empty(), "oncall", Map.of()), ChecklistPrompter.NONE).find("error-log-clean@localhost").orElseThrow();
    }

    private static String evidence(ItemResult item) {
        return item.evidence().toString();
    }

    @Test
    void bothChecklistsCarryTheSameItem() throws Exception {
        Matcher post5 = PROBE.matcher(Files.readString(Path.of("checklists/userns-remap-post-5min.yaml")));
        Matcher complete = PROBE.matcher(Files.readString(Path.of("checklists/userns-remap-complete.yaml")));
        assertTrue(post5.find() && complete.find());
        String text = "\n *text: .*\n";
        assertEquals(post5.group().replaceFirst(text, "\n"), complete.group().replaceFirst(text, "\n"), "one probe, tested once");
    }

    @Test
    void aUnitWithoutErrorsInTheWindowPassesWithZeroLines() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/journalctl")));
        ItemResult item = errorLogItem(Map.of("app_unit", "opsctl-no-such-unit-" + ProcessHandle.current().pid()));
        assertEquals("passed", item.status().label(), evidence(item));
        assertTrue(evidence(item).contains("stdout=0"), evidence(item));
    }

    @Test
    void aJournalctlThatFailsFailsTheItemInsteadOfCountingZeroLines() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/journalctl")));
        ItemResult item = errorLogItem(Map.of("error_log_since", "1 hour agoo"));
        assertEquals("failed", item.status().label(), evidence(item));
        assertTrue(evidence(item).contains("Failed to parse timestamp: 1 hour agoo"), evidence(item));
    }
}
