package dev.opsctl.action.script;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A script on the controller ({@code file}, resolved against the runbook's directory; {@code path} as
 * written) fed on stdin to {@code interpreter} on the host, with {@code args} (templates, each passed
 * as one word).
 */
public record ScriptSpec(
        String path,
        Path file,
        List<String> args,
        String interpreter,
        Optional<String> chdir,
        Map<String, String> env,
        List<Integer> expectRc) {

    public ScriptSpec {
        args = List.copyOf(args);
        env = Map.copyOf(env);
        expectRc = List.copyOf(expectRc);
    }
}
