package dev.opsctl.target.local;

import dev.opsctl.target.EnvOnStdin;
import dev.opsctl.target.SingleQuoted;
import dev.opsctl.target.Sudo;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The argv for a shell command: {@code [setsid] [sudo ... --] /bin/sh -c CMD}, and how to signal the
 * process group it leads ({@code ownGroup}: it starts with setsid). A sudo password never appears
 * here: it is the first line of stdin ({@link #stdin}). Neither does the environment: without sudo it
 * is the process's, through sudo (which resets it) it follows on stdin ({@link EnvOnStdin}).
 * {@code startMark}: under sudo, what the sh writes on stderr before anything else it runs, the proof
 * that sudo let the command start (without it, the exit status is sudo's); empty without sudo.
 */
record LocalCommand(List<String> argv, boolean ownGroup, GroupKill group, Optional<String> startMark) {
    private static final SecureRandom RANDOM = new SecureRandom();

    LocalCommand(List<String> argv, boolean ownGroup, GroupKill group) {
        this(argv, ownGroup, group, Optional.empty());
    }

    static LocalCommand of(String command, Sudo sudo, boolean root, Map<String, String> env, Optional<String> setsid) {
        List<String> argv = new ArrayList<>();
        setsid.ifPresent(argv::add);
        GroupKill group = GroupKill.OWN;
        String script = command;
        Optional<String> mark = Optional.empty();
        if (needsSudo(sudo, root)) {
            List<String> asUser = sudo(sudo);
            argv.addAll(asUser);
            mark = Optional.of("[opsctl-start:" + Long.toHexString(RANDOM.nextLong()) + "]");
            // a builtin: no process more
            script = "printf '%s' " + quote(mark.get()) + " >&2; " + EnvOnStdin.of(env).script() + command;
            if (!root) {
                // the command runs as another user, whose processes only that user (or root) may signal
                group = GroupKill.throughSudo(asUser, sudo.password());
            }
        }
        argv.addAll(List.of("/bin/sh", "-c", script));
        return new LocalCommand(List.copyOf(argv), setsid.isPresent(), group, mark);
    }

    /** {@code sudo -n|-S -k -p '' [-u USER] --}. */
    private static List<String> sudo(Sudo sudo) {
        List<String> argv = new ArrayList<>();
        argv.add("sudo");
        if (sudo.password().isPresent()) {
            // -k: ignore cached credentials, so sudo always reads the password line we send
            argv.addAll(List.of("-S", "-k", "-p", ""));
        } else {
            argv.add("-n");
        }
        if (!sudo.user().equals("root")) {
            argv.addAll(List.of("-u", sudo.user()));
        }
        argv.add("--");
        return argv;
    }

    /** Running as root already makes sudo to root pointless (and sudo may not even be installed). */
    static boolean needsSudo(Sudo sudo, boolean root) {
        return sudo.enabled() && !(root && sudo.user().equals("root"));
    }

    /**
     * The bytes to feed: the sudo password line first when sudo will ask for it, then under sudo the
     * environment ({@link EnvOnStdin}), then the command's own input.
     */
    static Optional<byte[]> stdin(Optional<byte[]> stdin, Sudo sudo, boolean root, Map<String, String> env) {
        if (!needsSudo(sudo, root)) {
            return stdin;
        }
        Optional<byte[]> input = EnvOnStdin.of(env).before(stdin);
        if (sudo.password().isEmpty()) {
            return input;
        }
        byte[] pw = (sudo.password().get().reveal() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] rest = input.orElse(new byte[0]);
        byte[] all = new byte[pw.length + rest.length];
        System.arraycopy(pw, 0, all, 0, pw.length);
        System.arraycopy(rest, 0, all, pw.length, rest.length);
        return Optional.of(all);
    }

    /** POSIX sh single quoting, for the file commands this package builds. */
    static String quote(String s) {
        return SingleQuoted.of(s);
    }
}
