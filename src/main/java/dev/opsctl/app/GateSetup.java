package dev.opsctl.app;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.runbook.model.Runbook;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a run's gate checklists come from and who answers their manual items at a terminal. The
 * checklists beside the runbook ({@code ../checklists}) come first, then the standard search path.
 */
public record GateSetup(ChecklistPath path, ActionRegistry registry, ChecklistPrompter interactive) {
    /**
     * The standard step types (their kube probes reaching the clusters {@code environment} names), the given
     * search path; nobody at a terminal unless {@code interactive} says so.
     */
    public static GateSetup standard(ChecklistPath path, ChecklistPrompter interactive, Map<String, String> environment) {
        return new GateSetup(path, ActionRegistry.standard(environment), interactive);
    }

    /** The working directory's {@code checklists/} and those beside each runbook; manual items fail closed. */
    public static GateSetup besideRunbooks(Map<String, String> environment) {
        return standard(new ChecklistPath(List.of(Path.of("checklists").toAbsolutePath())), ChecklistPrompter.NONE, environment);
    }

    /** As {@link #besideRunbooks(Map)} with this process's environment. */
    public static GateSetup besideRunbooks() {
        return besideRunbooks(System.getenv());
    }

    GateHooks.ChecklistSource checklists(Runbook runbook) {
        List<Path> dirs = new ArrayList<>();
        Path dir = runbook.file().toAbsolutePath().getParent();
        if (dir != null && dir.getParent() != null) {
            dirs.add(dir.getParent().resolve("checklists"));
        }
        dirs.addAll(path.dirs());
        ChecklistService service = ChecklistService.local(new ChecklistPath(dirs), registry);
        return service::load;
    }
}
