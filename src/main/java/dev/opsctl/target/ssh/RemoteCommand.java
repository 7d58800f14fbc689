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
     * cannot signal it (a command under sudo, a root login).
     */
    static String build(ExecRequest r, String marker, boolean reportGroup) {
        StringBuilder body = new StringBuilder();
        boolean withPassword = r.sudo().enabled() && r.sudo().password().isPresent();
        if (reportGroup) {
            // field 5 of /proc/PID/stat; the shell's own pid where /proc cannot tell (it then leads its group)
            body.append("read -r __opsctl_p __opsctl_c __opsctl_s __opsctl_pp __opsctl_g __opsctl_r 2>/dev/null </proc/$$/stat; ")
                    .append("printf '%s%s\\n' ").append(quote(marker + OutputPump.GROUP)).append(" \"${__opsctl_g:-$$}\" >&2; ")
                    .append("unset __opsctl_p __opsctl_c __opsctl_s __opsctl_pp __opsctl_g __opsctl_r; ");
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
            return body.toString();
        }
        String user = " -u " + quote(r.sudo().user());
        String inner = " -- sh -c " + quote(body.toString());
        if (withPassword) {
            return "sudo -k -S -p " + quote(marker + OutputPump.PROMPT) + user + inner;
        }
        return "sudo -n" + user + inner;
    }

    static String quote(String s) {
        if (!s.isEmpty() && SAFE.matcher(s).matches()) {
            return s;
        }
        return SingleQuoted.of(s);
    }
}
