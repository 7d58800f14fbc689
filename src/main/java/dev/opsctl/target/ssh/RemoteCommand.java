package dev.opsctl.target.ssh;

import dev.opsctl.target.EnvOnStdin;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.SingleQuoted;
import java.util.regex.Pattern;

/**
 * Builds the command line sent to the remote login shell: {@code /bin/sh -c}, which reads the
 * environment from stdin ({@link EnvOnStdin}: no value on a command line), and the sudo wrapper.
 */
final class RemoteCommand {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private RemoteCommand() {}

    /**
     * The remote command line. sshd hands it to the login user's shell, which may be bash, zsh, ksh,
     * csh or fish; the command itself always runs in {@code /bin/sh -c}, as on the local target (bash's
     * echo, zsh's word splitting and failing globs would make a command that works locally do
     * something else on the host). Without sudo the login shell execs {@code /bin/sh}, so no
     * process more; with sudo, sudo runs {@code sh -c}. With a sudo password, sudo prompts with
     * {@code marker} and {@link OutputPump#PROMPT} on stderr and reads the password from stdin
     * ({@code -k}: always, so a cached credential never lets the password line fall through to the
     * command's stdin). When the command also has stdin (its environment counts: {@code env}), it
     * first writes {@code marker} and {@link OutputPump#STARTED} on stderr: its input is sent only
     * then, so a wrong password never makes sudo read the input as attempts. With {@code reportGroup}, the command first writes
     * {@code marker} and {@link OutputPump#STARTED}, then {@code marker}, {@link OutputPump#GROUP} and its process group
     * on a line of stderr: the proof that it started (sudo and the login shell let it), without which its exit status is
     * sudo's or the login shell's, and the group opsctl stops from a second channel when sshd cannot signal it (a command
     * under sudo, a root login), and from a new connection when the one it ran on broke under it, which every
     * command's group outlives.
     */
    static String build(ExecRequest r, EnvOnStdin env, String marker, boolean reportGroup) {
        StringBuilder body = new StringBuilder();
        boolean withPassword = r.sudo().enabled() && r.sudo().password().isPresent();
        if (reportGroup) {
            body.append(groupLine(marker));
        }
        if (!reportGroup && withPassword && (r.stdin().isPresent() || !env.isEmpty())) {
            body.append("printf '%s' ").append(quote(marker + OutputPump.STARTED)).append(" >&2; ");
        }
        body.append(env.script());
        body.append(r.command());
        String inner = "sh -c " + quote(oneLine(body.toString()));
        if (!r.sudo().enabled()) {
            return "exec /bin/" + inner;
        }
        String user = " -u " + quote(r.sudo().user());
        if (withPassword) {
            return "sudo -k -S -p " + quote(marker + OutputPump.PROMPT) + user + " -- " + inner;
        }
        return "sudo -n" + user + " -- " + inner;
    }

    /**
     * {@code script} as a script of one line without '!', which sh decodes and execs: a csh login
     * shell runs each line of its {@code -c} on its own, so the first line's quote was unmatched and
     * the next lines ran in csh, outside sh and sudo, mangled; and it expands '!' even in single
     * quotes. A fish login shell reads {@code \\} and {@code \'} as escapes even in single quotes: a
     * script with either, or ending with a backslash, reached sh with a backslash less or its quote
     * unmatched. printf's {@code %b} (a builtin in sh) turns {@code \n} back into the newline, and
     * {@code \0NNN} into '!', the single quote and the backslash, none of which fish reads in single
     * quotes; the '.' keeps the trailing newlines a command substitution would drop. A newline costs
     * one byte more, not four: the login shell gets the whole line as one argument, which Linux takes
     * up to 128 KiB (MAX_ARG_STRLEN): a long script keeps nearly the room it had before it was encoded.
     * Other scripts are left as they are.
     */
    static String oneLine(String script) {
        if (script.indexOf('\n') < 0 && script.indexOf('!') < 0 && !fishEscapes(script)) {
            return script;
        }
        StringBuilder encoded = new StringBuilder();
        for (char c : script.toCharArray()) {
            switch (c) {
                case '\\' -> encoded.append("\\0134");
                case '\n' -> encoded.append("\\n");
                case '!' -> encoded.append("\\0041");
                case '\'' -> encoded.append("\\0047");
                default -> encoded.append(c);
            }
        }
        return "opsctl_c=$(printf '%b.' '" + encoded + "'); exec /bin/sh -c \"${opsctl_c%.}\"";
    }

    /** Whether fish would read a backslash of {@code script}, single-quoted, as an escape. */
    private static boolean fishEscapes(String script) {
        return script.contains("\\\\") || script.contains("\\'") || script.endsWith("\\");
    }

    /**
     * A POSIX script that writes {@code marker} and {@link OutputPump#STARTED}, then {@code marker},
     * {@link OutputPump#GROUP} and the process group of the shell running it: field 5 of
     * {@code /proc/$$/stat}, else what {@code ps} says; no digits when neither can tell (the shell's own
     * pid would be a guess: under sudo without a pty it shares the login shell's group). One printf, so
     * the start costs no write more than the group did; its '!' written as an octal escape, which would
     * else make every command a script for {@link #oneLine} to encode (a process more). Where /proc
     * answers, builtins only: no process more. Its variables have names no command uses, and are unset
     * after; not {@code _}, which zsh keeps read-only.
     */
    private static String groupLine(String marker) {
        return "opsctl_g=; read -r opsctl_x opsctl_x opsctl_x opsctl_x opsctl_g opsctl_x 2>/dev/null </proc/$$/stat"
                + " || opsctl_g=$(ps -o pgid= -p $$ 2>/dev/null); [ $opsctl_g -gt 1 ] 2>/dev/null || opsctl_g=; printf '%s"
                + String.format("\\%03o", (int) OutputPump.STARTED) + "%s%s\\n' " + quote(marker) + " " + quote(marker + OutputPump.GROUP)
                + " \"$opsctl_g\" >&2; unset opsctl_x opsctl_g; ";
    }

    static String quote(String s) {
        if (!s.isEmpty() && SAFE.matcher(s).matches()) {
            return s;
        }
        return SingleQuoted.of(s);
    }
}
