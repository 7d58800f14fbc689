package dev.opsctl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command under strace, which stops the whole process (SIGSTOP) each time one of its threads has
 * done an fsync, and SIGKILLs it at the {@code n}-th: the point right after the {@code n}-th record the
 * journal made durable. Counting stops, not fsyncs per thread (strace's own {@code when=} counts per
 * thread), gives every point of a run in order, whichever thread journals.
 */
final class KilledAtFsync {
    /** How the process ended: killed at the asked point, or exited by itself (fewer fsyncs than asked). */
    record Ending(boolean killed, int exitCode, int stops) {}

    private KilledAtFsync() {}

    static Ending run(List<String> command, Path workDir, int n) throws IOException, InterruptedException {
        Path log = workDir.resolve("strace-" + n + ".log");
        List<String> cmd = new ArrayList<>(List.of("strace", "-f", "-qq", "-o", log.toString(), "-e", "trace=fsync",
                "-e", "signal=SIGSTOP", "-e", "inject=fsync:signal=SIGSTOP:when=1+"));
        cmd.addAll(command);
        Process strace = new ProcessBuilder(cmd).redirectOutput(workDir.resolve("out-" + n).toFile())
                .redirectError(workDir.resolve("err-" + n).toFile()).start();
        long tracee = tracee(strace, command.get(0));
        int seen = 0;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (strace.isAlive() && Instant.now().isBefore(deadline)) {
            int stops = stops(log);
            if (stops > seen && stopped(tracee, log)) {
                seen = stops;
                if (seen == n) {
                    signal("KILL", tracee);
                    strace.waitFor(30, TimeUnit.SECONDS);
                    return new Ending(true, strace.exitValue(), seen);
                }
                signal("CONT", tracee);
            }
            Thread.sleep(2);
        }
        if (!strace.waitFor(60, TimeUnit.SECONDS)) {
            String states = tracee + " " + threadStates(tracee);
            signal("KILL", tracee);
            strace.destroyForcibly();
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            throw new AssertionError("the traced run did not end after " + seen + " stops (threads " + states + "): "
                    + String.join(" ", command) + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
        return new Ending(false, strace.exitValue(), seen);
    }

    /**
     * strace's child that runs {@code program} (its pid stays that of the command it execs). strace forks
     * short-lived children of its own first, to test what ptrace can do.
     */
    private static long tracee(Process strace, String program) throws IOException, InterruptedException {
        Path children = Path.of("/proc", Long.toString(strace.pid()), "task", Long.toString(strace.pid()), "children");
        Instant until = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(until)) {
            String pids = Files.exists(children) ? Files.readString(children).trim() : "";
            for (String pid : pids.isEmpty() ? new String[0] : pids.split(" ")) {
                try {
                    byte[] cmdline = Files.readAllBytes(Path.of("/proc", pid, "cmdline"));
                    if (new String(cmdline, StandardCharsets.UTF_8).startsWith(program + "\0")) {
                        return Long.parseLong(pid);
                    }
                } catch (IOException e) {
                    // gone already
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("strace did not start " + program);
    }

    /** One line per stop strace injected ("--- SIGSTOP {...} ---"); "stopped by SIGSTOP" is per thread. */
    private static int stops(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        return (int) Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains("--- SIGSTOP {")).count();
    }

    /**
     * The whole process is in the group stop of the latest SIGSTOP: strace logged "stopped by SIGSTOP" for
     * at least as many threads as the process has since it logged that SIGSTOP, and every thread is in a
     * tracing stop. /proc alone cannot tell: a thread stays in 't' a moment after the others resumed from
     * the last stop, and continuing before the new stop is complete would let the SIGCONT go before the
     * SIGSTOP, which would then stop the process for good.
     */
    private static boolean stopped(long pid, Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        int last = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("--- SIGSTOP {")) {
                last = i;
            }
        }
        long stoppedThreads = lines.subList(last + 1, lines.size()).stream().filter(l -> l.contains("--- stopped by SIGSTOP ---")).count();
        List<Character> states = threadStates(pid);
        return !states.isEmpty() && stoppedThreads >= states.size() && states.stream().allMatch(c -> c == 't' || c == 'T');
    }

    /** The state letter of each live thread of {@code pid} (none when it is gone). */
    private static List<Character> threadStates(long pid) {
        List<Path> threads;
        try (var list = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            threads = list.toList();
        } catch (IOException e) {
            return List.of();
        }
        List<Character> states = new ArrayList<>();
        for (Path t : threads) {
            try {
                String stat = Files.readString(t.resolve("stat"));
                char state = stat.charAt(stat.lastIndexOf(')') + 2);
                if (state != 'Z' && state != 'X') {
                    states.add(state);
                }
            } catch (IOException e) {
                // a thread that just ended
            }
        }
        return states;
    }

    private static void signal(String sig, long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor();
    }
}
