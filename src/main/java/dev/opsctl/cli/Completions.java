package dev.opsctl.cli;

import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Shell completion scripts generated from the command tree. zsh loads the bash script through
 * bashcompinit, so both shells complete the same words. Committed copies live in {@code completions/}.
 */
final class Completions {
    static final String BASH_FILE = "completions/opsctl.bash";
    static final String ZSH_FILE = "completions/_opsctl";

    private Completions() {}

    static String bash(CommandLine root) {
        return AutoComplete.bash("opsctl", root);
    }

    static String zsh(CommandLine root) {
        return "#compdef opsctl\n"
                + "# zsh completion for opsctl, through bash's: add to ~/.zshrc\n"
                + "#   source /path/to/completions/_opsctl     or     source <(opsctl completion zsh)\n"
                + "autoload -U +X compinit && compinit\n"
                + "autoload -U +X bashcompinit && bashcompinit\n"
                + bash(root);
    }
}
