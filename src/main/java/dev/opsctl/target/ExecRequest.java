package dev.opsctl.target;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A command to run. {@code command} is a shell command line, already rendered and quoted.
 * {@code stdin} is fed to the command and then closed (empty: no input). With {@code sudo} the
 * command runs as root through {@code sudo -n}, or with the password fed on stdin, never on the
 * command line.
 */
public record ExecRequest(
        String command,
        Optional<byte[]> stdin,
        Optional<Duration> timeout,
        Sudo sudo,
        Map<String, String> env,
        OutputListener listener) {

    public ExecRequest {
        env = Map.copyOf(env);
    }

    public static ExecRequest of(String command) {
        return new ExecRequest(command, Optional.empty(), Optional.empty(), Sudo.NONE, Map.of(), OutputListener.NONE);
    }

    public ExecRequest withTimeout(Duration t) {
        return new ExecRequest(command, stdin, Optional.of(t), sudo, env, listener);
    }

    public ExecRequest withStdin(byte[] input) {
        return new ExecRequest(command, Optional.of(input), timeout, sudo, env, listener);
    }

    public ExecRequest withSudo(Sudo s) {
        return new ExecRequest(command, stdin, timeout, s, env, listener);
    }

    public ExecRequest withEnv(Map<String, String> e) {
        return new ExecRequest(command, stdin, timeout, sudo, e, listener);
    }

    public ExecRequest withListener(OutputListener l) {
        return new ExecRequest(command, stdin, timeout, sudo, env, l);
    }
}
