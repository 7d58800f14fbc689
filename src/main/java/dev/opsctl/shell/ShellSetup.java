package dev.opsctl.shell;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything {@code cli} hands the shell: the command tree, where history is kept, the names to
 * complete and the session's first inventory.
 *
 * @param stateDir where runs are journaled and {@code shell_history} is kept
 * @param explicitStateDir the {@code --state-dir} the shell was started with, passed on to every command that takes one
 * @param runbooks the runbook names {@code rollout NAME} accepts, looked up again at every Tab
 * @param checklists the checklist names {@code checklist run NAME} accepts
 * @param inventory the session's inventory ({@code opsctl shell -i FILE}), absolute
 * @param workingDir where relative paths typed at the prompt are resolved
 * @param connections the SSH connections kept between commands
 */
public record ShellSetup(CommandTree commands, Path stateDir, Optional<Path> explicitStateDir, Supplier<List<String>> runbooks,
        Supplier<List<String>> checklists, RecentRuns runs, Optional<Path> inventory, Path workingDir, ZoneId zone, KeptConnections connections) {}
