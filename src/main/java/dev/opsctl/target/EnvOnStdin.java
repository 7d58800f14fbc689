package dev.opsctl.target;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A command's environment sent ahead of its input on stdin, for where it cannot travel in the
 * process environment (through sudo, which resets it; through sshd, which accepts no variables by
 * default). On a command line a value, a secret maybe, would be in an argv, which any user of the
 * host reads ({@code ps}, /proc/PID/cmdline); a process's environment only its owner and root can.
 * {@link #script} goes first in the {@code sh -c} script: it reads each value with the {@code read}
 * builtin, which takes a pipe byte by byte, so what follows the block stays for the command, and
 * exports it. The block goes ahead of the input ({@link #before}): for each variable (by name) the
 * number of lines of its value, then those lines; any byte but NUL survives. One line of builtins (a
 * command substitution only for a value with a newline): a csh login shell takes one-line commands
 * only. A block cut short fails the script with 125 before the command runs.
 */
public final class EnvOnStdin {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String READ = "opsctl_e() { IFS= read -r opsctl_n && IFS= read -r opsctl_v || opsctl_f;"
            + " while [ \"$opsctl_n\" -gt 1 ]; do IFS= read -r opsctl_l || opsctl_f;"
            + " [ -n \"$opsctl_s\" ] || { opsctl_s=$(echo; echo .); opsctl_s=${opsctl_s%.}; };"
            + " opsctl_v=$opsctl_v$opsctl_s$opsctl_l; opsctl_n=$((opsctl_n - 1)); done; };"
            + " opsctl_f() { echo 'opsctl: the environment did not arrive on stdin' >&2; exit 125; }; opsctl_s=; ";
    private static final String CLEAN_UP = "unset -f opsctl_e opsctl_f; unset opsctl_n opsctl_v opsctl_l opsctl_s; ";
    /** The script's own variables: one of the command's by the same name would be overwritten, then unset. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("opsctl_n", "opsctl_v", "opsctl_l", "opsctl_s");

    /** Linux's MAX_ARG_STRLEN: 32 pages of 4 KiB, the terminating NUL included. */
    static final int MAX_ENTRY_BYTES = 32 * 4096;

    public static final EnvOnStdin NONE = new EnvOnStdin("", new byte[0]);

    private final String script;
    private final byte[] input;

    private EnvOnStdin(String script, byte[] input) {
        this.script = script;
        this.input = input;
    }

    /** Why {@code name} cannot be a command's environment variable, if it cannot: "is not ...", to follow the name. */
    public static Optional<String> nameProblem(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.of("is not an environment variable name");
        }
        if (RESERVED.contains(name)) {
            return Optional.of("is a name opsctl itself uses on the host to pass the environment");
        }
        return Optional.empty();
    }

    /**
     * Why {@code env} cannot be a command's environment, if it cannot: a name ({@link #nameProblem}),
     * a value with a NUL byte, which no environment can hold, or one longer than Linux takes for one
     * environment string ({@value #MAX_ENTRY_BYTES} bytes with its name, MAX_ARG_STRLEN): exported,
     * it would make every program the command starts fail with "Argument list too long". Says
     * nothing of the value itself, which may be a secret.
     */
    public static Optional<String> problem(Map<String, String> env) {
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            Optional<String> bad = nameProblem(name);
            if (bad.isPresent()) {
                return Optional.of("'" + name + "' " + bad.get());
            }
            if (e.getValue().indexOf('\0') >= 0) {
                return Optional.of("the value of environment variable '" + name + "' contains a NUL byte");
            }
            int bytes = (name + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8).length + 1;
            if (bytes > MAX_ENTRY_BYTES) {
                return Optional.of("the value of environment variable '" + name + "' is " + bytes + " bytes with its name; Linux"
                        + " passes at most " + MAX_ENTRY_BYTES + " in one environment string: pass it as a file (copy or"
                        + " template) or on stdin instead");
            }
        }
        return Optional.empty();
    }

    /**
     * @throws IllegalArgumentException {@code env} cannot be an environment ({@link #problem})
     */
    public static EnvOnStdin of(Map<String, String> env) {
        if (env.isEmpty()) {
            return NONE;
        }
        Optional<String> problem = problem(env);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        StringBuilder script = new StringBuilder(READ);
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            script.append("opsctl_e; export ").append(name).append("=\"$opsctl_v\"; ");
            String[] lines = e.getValue().split("\n", -1);
            block.writeBytes((lines.length + "\n").getBytes(StandardCharsets.US_ASCII));
            for (String line : lines) {
                block.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return new EnvOnStdin(script.append(CLEAN_UP).toString(), block.toByteArray());
    }

    /** What goes first in the {@code sh -c} script; empty without variables. */
    public String script() {
        return script;
    }

    public boolean isEmpty() {
        return input.length == 0;
    }

    /** The bytes to feed the script: the block, then the command's own input, if any. */
    public Optional<byte[]> before(Optional<byte[]> stdin) {
        if (isEmpty()) {
            return stdin;
        }
        byte[] rest = stdin.orElse(new byte[0]);
        byte[] all = new byte[input.length + rest.length];
        System.arraycopy(input, 0, all, 0, input.length);
        System.arraycopy(rest, 0, all, input.length, rest.length);
        return Optional.of(all);
    }
}
