package dev.opsctl.cli;

import dev.opsctl.engine.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = "Print a shell completion script for bash or zsh.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  source <(opsctl completion bash)                     # this shell",
            "  opsctl completion bash > ~/.local/share/bash-completion/completions/opsctl",
            "  echo 'source <(opsctl completion zsh)' >> ~/.zshrc",
        })
final class CompletionCommand implements Callable<Integer> {
    enum Shell {
        bash,
        zsh
    }

    private final CliEnv env;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "${COMPLETION-CANDIDATES}")
    Shell shell;

    CompletionCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        var root = spec.root().commandLine();
        env.out().print(shell == Shell.bash ? Completions.bash(root) : Completions.zsh(root));
        env.out().flush();
        return ExitCodes.OK;
    }
}
