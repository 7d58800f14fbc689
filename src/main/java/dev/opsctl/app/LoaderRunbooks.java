package dev.opsctl.app;

import dev.opsctl.action.ActionRegistry;
import dev.opsctl.runbook.load.Checklists;
import dev.opsctl.runbook.load.LoadResult;
import dev.opsctl.runbook.load.RunbookLoader;
import dev.opsctl.runbook.model.Runbook;
import java.nio.file.Path;

/** {@link RunbookSource} over the runbook loader: every problem rendered compiler-style, exit 2. */
public final class LoaderRunbooks implements RunbookSource {
    private final RunbookLoader loader;

    public LoaderRunbooks(ActionRegistry registry, Checklists checklists) {
        this.loader = new RunbookLoader(registry, checklists);
    }

    @Override
    public Runbook load(Path file) throws OpsctlException {
        LoadResult r = loader.load(file);
        if (r.runbook().isEmpty()) {
            throw OpsctlException.usage(r.problems().render().stripTrailing());
        }
        return r.runbook().get();
    }
}
