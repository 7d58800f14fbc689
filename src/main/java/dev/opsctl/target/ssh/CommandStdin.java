package dev.opsctl.target.ssh;

import dev.opsctl.target.EnvOnStdin;
import dev.opsctl.target.ExecRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * What {@link SshExec} sends a command on its stdin, then EOF: sudo's password when sudo asks for
 * it, the environment block and the command's own input ({@link EnvOnStdin#before}).
 */
final class CommandStdin {
    private static final Duration PROMPT_WAIT = Duration.ofSeconds(5);
    /**
     * How long sudo may take to start the command after it was answered (or to ask at all) before it
     * gets EOF. Not final: a test shortens it rather than wait 30 s.
     */
    static volatile Duration startWait = Duration.ofSeconds(30);

    private CommandStdin() {}

    /** {@code input}: the environment block and the command's own input ({@link EnvOnStdin#before}). */
    static void feed(Session.Command cmd, ExecRequest r, Optional<byte[]> input, boolean withPassword, CountDownLatch prompted,
            OutputPump out, OutputPump err, Future<Void> outDone) throws IOException, InterruptedException {
        try (OutputStream in = cmd.getOutputStream()) {
            if (withPassword) {
                // sudo prompts only when it needs the password; don't wait forever when it doesn't
                long until = System.nanoTime() + PROMPT_WAIT.toNanos();
                while (!prompted.await(20, TimeUnit.MILLISECONDS)) {
                    if (out.sawOutput() || err.sawOutput() || outDone.isDone() || System.nanoTime() > until) {
                        break;
                    }
                }
                if (prompted.getCount() == 0) {
                    in.write((r.sudo().password().get().reveal() + "\n").getBytes(StandardCharsets.UTF_8));
                    in.flush();
                }
            }
            if (input.isPresent()) {
                writeAsTheWindowAllows(cmd, in, input.get());
            }
            // sshj's close() sends what is still buffered only if the remote window has room at that moment,
            // then EOF regardless: up to one packet (32 KiB) of stdin was lost. flush() waits for the window.
            in.flush();
        }
    }

    /**
     * With a password and input: the password when sudo prompts, the input only once the command
     * announced its start. A second prompt means the password was wrong: EOF then, so sudo gives up
     * instead of reading the input as further attempts (and a lockout counting them). So does a sudo
     * that neither starts the command nor asks with our prompt within {@link #startWait} (a PAM stack
     * asking for a one-time code, say): it fails instead of waiting for ever.
     */
    static void feedAfterStart(Session.Command cmd, ExecRequest r, byte[] input, AtomicInteger prompts, CountDownLatch started,
            Future<Void> outDone) throws IOException, InterruptedException {
        try (OutputStream in = cmd.getOutputStream()) {
            int answered = 0;
            long giveUp = System.nanoTime() + startWait.toNanos();
            while (!started.await(20, TimeUnit.MILLISECONDS) && !outDone.isDone()) {
                int asked = prompts.get();
                if (asked > 1 || System.nanoTime() > giveUp) {
                    return;
                }
                if (asked == 1 && answered == 0) {
                    giveUp = System.nanoTime() + startWait.toNanos();
                    in.write((r.sudo().password().get().reveal() + "\n").getBytes(StandardCharsets.UTF_8));
                    in.flush();
                    answered = 1;
                }
            }
            if (started.getCount() == 0) {
                writeAsTheWindowAllows(cmd, in, input);
            }
        }
    }

    /**
     * Writes {@code data} no faster than the host's window for it opens, and stops once the command
     * ended: sshj waits for a window inside the stream's lock, which its reader thread needs to take
     * the channel's close, so a command that exited without reading its input (a refused sudo, a
     * failed redirection) held the whole connection, every channel and keepalive on it, for sshj's
     * 30 s timeout before its result came.
     */
    private static void writeAsTheWindowAllows(Session.Command cmd, OutputStream in, byte[] data)
            throws IOException, InterruptedException {
        int off = 0;
        long pauseMillis = 1;
        while (off < data.length) {
            long room = cmd.getRemoteWinSize();
            if (room > 0) {
                int n = (int) Math.min(room, data.length - off);
                in.write(data, off, n);
                in.flush(); // within the window: sends at once
                off += n;
                pauseMillis = 1;
            } else if (!cmd.isOpen() || cmd.getExitStatus() != null || cmd.getExitSignal() != null) {
                return;
            } else {
                Thread.sleep(pauseMillis);
                pauseMillis = Math.min(50, pauseMillis * 2);
            }
        }
    }
}
