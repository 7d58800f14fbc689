package dev.opsctl.action.shell;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A shell command. {@code cmd} is a template whose substituted values are shell-quoted;
 * {@code creates}/{@code removes} skip the step when that path already exists / does not exist.
 */
public record ShellSpec(
        String cmd,
        Optional<String> chdir,
        Map<String, String> env,
        Optional<String> stdin,
        Optional<String> creates,
        Optional<String> removes,
        List<Integer> expectRc) {

    public ShellSpec {
        env = Map.copyOf(env);
        expectRc = List.copyOf(expectRc);
    }

    public static ShellSpec of(String cmd) {
        return new ShellSpec(cmd, Optional.empty(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(0));
    }
}
