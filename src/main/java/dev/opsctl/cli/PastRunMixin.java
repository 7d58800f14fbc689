package dev.opsctl.cli;

import dev.opsctl.app.OpsctlException;
import dev.opsctl.app.Services;
import dev.opsctl.app.SshFlags;
import dev.opsctl.source.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code runs resume} and {@code runs rollback} share: the journaled run they act on, its
 * parameters given again, {@code --force}, {@code --operator}, the state dir and the output format.
 */
final class PastRunMixin {
    @Parameters(index = "0", paramLabel = "ID", description = "The run id.")
    String id;

    @Option(names = {"-e", "--param"}, paramLabel = "KEY=VALUE", converter = KeyValueConverter.class,
            description = "Give a parameter again (secrets are journaled masked, so they must be given again); repeatable.")
    List<KeyValue> params = new ArrayList<>();

    @Option(names = "--force", description = "Go on although the runbook changed since the run started.")
    boolean force;

    @Option(names = "--operator", paramLabel = "NAME", description = "Who does it (default: $USER).")
    String operator;

    @Mixin
    StateDirOption stateDir;

    @Mixin
    SudoPasswordMixin sudo;

    @Mixin
    OutputMixin output;

    /** The {@code -e} values as {@code key=value}, as the app layer takes extra vars. */
    List<String> extraVars() {
        return params.stream().map(kv -> kv.key() + "=" + kv.value()).toList();
    }

    Services services(CliEnv env, SshFlags ssh) {
        return CliServices.build(env, stateDir.get(), Optional.ofNullable(operator), ssh);
    }

    /** Whether the run has work left for the command, with the command's refusals; see {@link #sudoPassword}. */
    interface WorkCheck {
        boolean hasWork() throws OpsctlException;
    }

    /**
     * The sudo password. From the environment or a file it is read (and checked) at once; asked on
     * the terminal only once the run is known to have work left and not to be refused, so a mistyped
     * id, a finished run or a changed runbook is reported without a prompt first.
     */
    Optional<Secret> sudoPassword(CliEnv env, WorkCheck check) throws OpsctlException {
        if (!sudo.asksOnly()) {
            return sudo.password(env);
        }
        return check.hasWork() ? sudo.password(env) : Optional.empty();
    }
}
