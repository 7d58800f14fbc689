package dev.opsctl.target;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A command to run. {@code command} is a shell command line, already rendered and quoted.
 * {@code stdin} is fed to the command and then closed (empty: no input). With {@code sudo} the
 * command runs as root through {@code sudo -n}, or with the password fed on stdin, never on the
 * command line. {@code capture}: the bytes of each stream kept in the result (the listener sees
 * every line); what is past it is dropped and the result says {@code truncated}.
 */
public record ExecRequest(
        String command,
        Optional<byte[]> stdin,
        Optional<Duration> timeout,
        Sudo sudo,
        Map<String, String> env,
        OutputListener listener,
        int capture) {

    public ExecRequest {
        env = Map.copyOf(env);
        if (capture < 0 || capture > ExecResult.MAX_CAPTURE) {
            throw new IllegalArgumentException("capture must be 0 to " + ExecResult.MAX_CAPTURE + " bytes, not " + capture);
        }
    }

    public static ExecRequest of(String command) {
        return new ExecRequest(command, Optional.empty(), Optional.empty(), Sudo.NONE, Map.of(), OutputListener.NONE,
                ExecResult.MAX_CAPTURE);
    }

    /** Keeps at most {@code bytes} of each stream (at most {@link ExecResult#MAX_CAPTURE}). */
    public ExecRequest withCapture(int bytes) {
        return new ExecRequest(command, stdin, timeout, sudo, env, listener, bytes);
    }

    public ExecRequest withTimeout(Duration t) {
        return new ExecRequest(command, stdin, Optional.of(t), sudo, env, listener, capture);
    }

    public ExecRequest withStdin(byte[] input) {
        return new ExecRequest(command, Optional.of(input), timeout, sudo, env, listener, capture);
    }

    public ExecRequest withSudo(Sudo s) {
        return new ExecRequest(command, stdin, timeout, s, env, listener, capture);
    }

    public ExecRequest withEnv(Map<String, String> e) {
        return new ExecRequest(command, stdin, timeout, sudo, e, listener, capture);
    }

    public ExecRequest withListener(OutputListener l) {
        return new ExecRequest(command, stdin, timeout, sudo, env, l, capture);
    }
}
