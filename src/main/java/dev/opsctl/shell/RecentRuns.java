package dev.opsctl.shell;

import dev.opsctl.app.OpsctlException;
import dev.opsctl.app.RunSummary;
import java.util.List;

/** The runs in the state directory, newest first (what {@code runs list} shows). */
@FunctionalInterface
public interface RecentRuns {
    List<RunSummary> list() throws OpsctlException;
}
