package dev.opsctl.target;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A command to run. {@code command} is a shell command line, already rendered and quoted.
 * {@code stdin} is fed to the command and then closed (empty: no input). With {@code sudo} the
 * command runs as root through {@code sudo -n}, or with the password fed on stdin, never on the
 * command line. {@code capture}: the bytes of each stream kept in the result (the listener sees
 * every line); what is past it is dropped and the result says {@code truncated}. {@code text}: how
 * the output's bytes become the result's and the listener's text. {@code description}: what the
 * command does, in words that fit "while ...", for a failure to name it by ("backing up '/etc/app'");
 * empty: the command's first characters are quoted, which for a generated script say little.
 */
public record ExecRequest(
        String command,
        Optional<byte[]> stdin,
        Optional<Duration> timeout,
        Sudo sudo,
        Map<String, String> env,
        OutputListener listener,
        int capture,
        OutputText text,
        Optional<String> description) {

    public ExecRequest {
        env = Map.copyOf(env);
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(description, "description");
        if (capture < 0 || capture > ExecResult.MAX_CAPTURE) {
            throw new IllegalArgumentException("capture must be 0 to " + ExecResult.MAX_CAPTURE + " bytes, not " + capture);
        }
    }

    public static ExecRequest of(String command) {
        return new ExecRequest(command, Optional.empty(), Optional.empty(), Sudo.NONE, Map.of(), OutputListener.NONE,
                ExecResult.MAX_CAPTURE, OutputText.REPLACED, Optional.empty());
    }

    /** Keeps at most {@code bytes} of each stream (at most {@link ExecResult#MAX_CAPTURE}). */
    public ExecRequest withCapture(int bytes) {
        return new ExecRequest(command, stdin, timeout, sudo, env, listener, bytes, text, description);
    }

    /** Output bytes that are not UTF-8 kept in the text ({@link OutputText#BYTES_KEPT}), for printing it as it was. */
    public ExecRequest withBytesKept() {
        return new ExecRequest(command, stdin, timeout, sudo, env, listener, capture, OutputText.BYTES_KEPT, description);
    }

    public ExecRequest withTimeout(Duration t) {
        return new ExecRequest(command, stdin, Optional.of(t), sudo, env, listener, capture, text, description);
    }

    public ExecRequest withStdin(byte[] input) {
        return new ExecRequest(command, Optional.of(input), timeout, sudo, env, listener, capture, text, description);
    }

    public ExecRequest withSudo(Sudo s) {
        return new ExecRequest(command, stdin, timeout, s, env, listener, capture, text, description);
    }

    public ExecRequest withEnv(Map<String, String> e) {
        return new ExecRequest(command, stdin, timeout, sudo, e, listener, capture, text, description);
    }

    public ExecRequest withListener(OutputListener l) {
        return new ExecRequest(command, stdin, timeout, sudo, env, l, capture, text, description);
    }

    /** The command described in words for failures, e.g. "backing up '/etc/app'" (see the class comment). */
    public ExecRequest withDescription(String what) {
        return new ExecRequest(command, stdin, timeout, sudo, env, listener, capture, text, Optional.of(what));
    }
}
