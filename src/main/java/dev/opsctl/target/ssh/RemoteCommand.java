package dev.opsctl.target.ssh;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.SingleQuoted;
import java.util.Map;
import java.util.regex.Pattern;

/** Builds the command line sent to the remote login shell: env exports and the sudo wrapper. */
final class RemoteCommand {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private RemoteCommand() {}

    /**
     * The remote command line. With a sudo password, sudo prompts with {@code marker} and
     * {@link OutputPump#PROMPT} on stderr and reads the password from stdin ({@code -k}: always, so a
     * cached credential never lets the password line fall through to the command's stdin). When the
     * command also has stdin, it first writes {@code marker} and {@link OutputPump#STARTED} on stderr:
     * its input is sent only then, so a wrong password never makes sudo read the input as attempts.
     * With {@code reportGroup}, the command first writes {@code marker}, {@link OutputPump#GROUP} and
     * its process group on a line of stderr: the group opsctl stops from a second channel when sshd
     * cannot signal it (a command under sudo, a root login), and from a new connection when the one
     * it ran on broke under it, which every command's group outlives. Without sudo the line comes from
     * a child {@code sh}, which shares the login shell's group and works whatever that shell is (csh,
     * fish), and which also says ({@link OutputPump#POSIX_LOGIN}) whether the login shell is a POSIX
     * shell; with {@code posixLogin} known, the login shell writes the line itself, with builtins only:
     * no process more per command.
     */
    static String build(ExecRequest r, String marker, boolean reportGroup, boolean posixLogin) {
        StringBuilder body = new StringBuilder();
        boolean withPassword = r.sudo().enabled() && r.sudo().password().isPresent();
        String group = reportGroup ? groupLine(marker) : "";
        if (reportGroup && r.sudo().enabled()) {
            body.append('(').append(group).append("); "); // a subshell: $$ is still this shell, its variables stay out
        }
        if (withPassword && r.stdin().isPresent()) {
            body.append("printf '%s' ").append(quote(marker + OutputPump.STARTED)).append(" >&2; ");
        }
        for (Map.Entry<String, String> e : r.env().entrySet()) {
            if (!NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("invalid environment variable name '" + e.getKey() + "'");
            }
            body.append("export ").append(e.getKey()).append('=').append(quote(e.getValue())).append("; ");
        }
        body.append(r.command());
        if (!r.sudo().enabled()) {
            if (!reportGroup) {
                return body.toString();
            }
            return posixLogin ? inlineGroupLine(marker) + body : "sh -c " + quote(group + "; " + posixProbe(marker)) + "; " + body;
        }
        String user = " -u " + quote(r.sudo().user());
        String inner = " -- sh -c " + quote(body.toString());
        if (withPassword) {
            return "sudo -k -S -p " + quote(marker + OutputPump.PROMPT) + user + inner;
        }
        return "sudo -n" + user + inner;
    }

    /** {@link #build} without the login shell known to be a POSIX shell. */
    static String build(ExecRequest r, String marker, boolean reportGroup) {
        return build(r, marker, reportGroup, false);
    }

    /**
     * A POSIX script that writes {@code marker}, {@link OutputPump#GROUP} and the process group of the
     * shell running it: field 5 of {@code /proc/$$/stat}, else what {@code ps} says; no line when
     * neither can tell (the shell's own pid would be a guess: under sudo without a pty it shares the
     * login shell's group). Where /proc answers, builtins only: no process more.
     */
    private static String groupLine(String marker) {
        // no '!' anywhere: csh expands history even inside single quotes
        return "g=; read -r _ _ _ _ g _ 2>/dev/null </proc/$$/stat || { g=$(ps -o pgid= -p $$ 2>/dev/null); g=$(echo $g); }; "
                + "[ \"$g\" -gt 1 ] 2>/dev/null && printf '%s%s\\n' " + quote(marker + OutputPump.GROUP) + " \"$g\" >&2";
    }

    /**
     * For a child {@code sh} of the login shell: {@code marker} and {@link OutputPump#POSIX_LOGIN} on
     * stderr when its parent, the login shell, is one that {@link #inlineGroupLine} can run in.
     */
    private static String posixProbe(String marker) {
        return "p=; read -r p 2>/dev/null </proc/$PPID/comm && case $p in sh|ash|dash|bash|ksh|ksh93|mksh|zsh|busybox|yash) "
                + "printf '%s' " + quote(marker + OutputPump.POSIX_LOGIN) + " >&2;; esac";
    }

    /**
     * {@link #groupLine} for a POSIX login shell to run itself, before the command: builtins only, no
     * child process (it needs /proc, which the login shell's POSIX_LOGIN answer came from), and
     * variables of names no command uses, unset after; not {@code _}, which zsh keeps read-only.
     */
    private static String inlineGroupLine(String marker) {
        return "read -r opsctl_x opsctl_x opsctl_x opsctl_x opsctl_g opsctl_x 2>/dev/null </proc/$$/stat "
                + "&& printf '%s%s\\n' " + quote(marker + OutputPump.GROUP) + " \"$opsctl_g\" >&2; unset opsctl_x opsctl_g; ";
    }

    static String quote(String s) {
        if (!s.isEmpty() && SAFE.matcher(s).matches()) {
            return s;
        }
        return SingleQuoted.of(s);
    }
}
