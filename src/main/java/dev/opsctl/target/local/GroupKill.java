package dev.opsctl.target.local;

import dev.opsctl.source.Secret;
import dev.opsctl.target.GroupSignalCommand;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How opsctl signals the process group a command leads ({@code kill -SIGNAL -PGID}). opsctl's own
 * {@code kill} reaches a command that runs as opsctl's user, and any command when opsctl is root.
 * One that sudo runs as another user for an operator who is not root it does not reach (EPERM), and
 * sudo relays TERM to its child but not KILL, and nothing to the child's children: that group is
 * signalled through the same sudo, as the same user, the password (if any) on stdin. Each instance
 * belongs to one command and is used by the one thread that stops it.
 */
final class GroupKill {
    /** What a signal found of the group. */
    enum Left { THERE, GONE, UNKNOWN }

    /** opsctl's own kill, for commands it may signal itself. */
    static final GroupKill OWN = new GroupKill(List.of(), Optional.empty());

    /** Bounds each sudo call: a sudo that hangs (a PAM module asking for more) must not hold the stop up. */
    private static final Duration SUDO_CALL_LIMIT = Duration.ofSeconds(3);

    private final List<String> sudo;
    private final Optional<Secret> password;
    private boolean sudoFailed;

    private GroupKill(List<String> sudo, Optional<Secret> password) {
        this.sudo = sudo;
        this.password = password;
    }

    /** Through {@code sudo} (its argv up to and including {@code --}), fed {@code password} when given. */
    static GroupKill throughSudo(List<String> sudo, Optional<Secret> password) {
        return new GroupKill(List.copyOf(sudo), password);
    }

    /** Whether opsctl's own signals reach every process of the command, so that a KILL surely ended it. */
    boolean reachesAll() {
        return sudo.isEmpty();
    }

    /**
     * Sends {@code signal} ("0" only asks) to group {@code pgid}. Own: THERE when it reached a process,
     * else GONE. Through sudo: the group's answer (zombies do not count); where sudo will not run the
     * kill, opsctl's own, which reaches sudo itself at most: THERE, or UNKNOWN. A sudo that failed
     * once is not asked again, so a lockout cannot count more attempts. Never throws; an interrupt
     * does not cut it short and is kept for the caller.
     */
    Left signal(String signal, long pgid) {
        if (!sudo.isEmpty() && !sudoFailed) {
            Left left = viaSudo(signal, pgid);
            if (left != Left.UNKNOWN) {
                return left;
            }
            sudoFailed = true;
        }
        if (own(signal, pgid)) {
            return Left.THERE;
        }
        return sudo.isEmpty() ? Left.GONE : Left.UNKNOWN;
    }

    /** True when the signal was delivered to a process of the group. */
    private static boolean own(String signal, long pgid) {
        // the shell builtin takes a negative pid as a process group; Java has no API for that
        List<String> argv = List.of("/bin/sh", "-c", "kill -s " + signal + " -- -" + pgid + " 2>/dev/null");
        return run(argv, Optional.empty(), Optional.empty()).map(r -> r.exit() == 0).orElse(false);
    }

    private Left viaSudo(String signal, long pgid) {
        List<String> argv = new ArrayList<>(sudo);
        argv.addAll(List.of("/bin/sh", "-c", GroupSignalCommand.script(signal, pgid)));
        Optional<byte[]> line = password.map(p -> (p.reveal() + "\n").getBytes(StandardCharsets.UTF_8));
        Optional<Ran> ran = run(argv, line, Optional.of(SUDO_CALL_LIMIT));
        String said = ran.filter(r -> r.exit() == 0).map(r -> r.stdout().strip()).orElse("");
        return said.equals(GroupSignalCommand.THERE) ? Left.THERE : said.equals(GroupSignalCommand.GONE) ? Left.GONE : Left.UNKNOWN;
    }

    private record Ran(int exit, String stdout) {}

    /** How the process ended; empty when it could not start or outlived {@code limit} (then it is killed). */
    private static Optional<Ran> run(List<String> argv, Optional<byte[]> stdin, Optional<Duration> limit) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        boolean interrupted = Thread.interrupted();
        try {
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin.isPresent()) {
                    in.write(stdin.get());
                }
            } catch (IOException e) {
                // it exited without reading: its status says what happened
            }
            Optional<Long> deadline = limit.map(l -> System.nanoTime() + l.toNanos());
            // uninterruptible on purpose: a kill that is itself interrupted would leave the group running
            while (true) {
                try {
                    if (deadline.isEmpty()) {
                        p.waitFor();
                    } else if (!p.waitFor(Math.max(0, deadline.get() - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        p.destroyForcibly();
                        return Optional.empty();
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            // a few bytes, in the pipe already: the script ran to its end
            return Optional.of(new Ran(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return Optional.empty();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
