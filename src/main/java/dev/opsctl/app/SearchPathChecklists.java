package dev.opsctl.app;

import dev.opsctl.runbook.load.Checklists;
import java.util.Collection;

/** The checklist names a runbook's gates may use: those on the checklist path, looked up when asked. */
public final class SearchPathChecklists implements Checklists {
    private final ChecklistPath path;

    public SearchPathChecklists(ChecklistPath path) {
        this.path = path;
    }

    @Override
    public boolean exists(String name) {
        return path.find(name).isPresent();
    }

    @Override
    public Collection<String> names() {
        return path.all().keySet();
    }
}
