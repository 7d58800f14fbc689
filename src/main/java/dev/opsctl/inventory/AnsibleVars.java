package dev.opsctl.inventory;

import dev.opsctl.source.Problems;
import dev.opsctl.source.SourcePos;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Ansible variables that say how to reach a host and whom to become there. Each setting has
 * the names Ansible reads it from, in Ansible's order: when several are set, the last one wins
 * (its ssh connection and sudo plugins do so: {@code ansible_ssh_host} over {@code ansible_host},
 * whichever level of the inventory set either). The variables opsctl cannot honour are refused
 * where they are written, because going on without them would reach another address, as another
 * user, or by another route than the inventory says.
 */
enum AnsibleVars {
    ADDRESS("ansible_host", "ansible_ssh_host"),
    PORT("ansible_port", "ansible_ssh_port"),
    USER("ansible_user", "ansible_ssh_user"),
    KEY_FILE("ansible_private_key_file", "ansible_ssh_private_key_file"),
    BECOME("ansible_become"),
    BECOME_USER("ansible_become_user", "ansible_sudo_user"),
    CONNECTION("ansible_connection");

    private static final List<String> LOGIN_PASSWORDS = List.of("ansible_password", "ansible_ssh_pass", "ansible_ssh_password",
            "ansible_paramiko_pass", "ansible_paramiko_password");
    private static final List<String> SUDO_PASSWORDS = List.of("ansible_become_password", "ansible_become_pass", "ansible_sudo_pass");
    private static final List<String> SSH_ARGS = List.of("ansible_ssh_args", "ansible_ssh_common_args", "ansible_ssh_extra_args");
    /** ssh options that change where the connection goes or who logs in; the rest tune OpenSSH's own client. */
    private static final Pattern ROUTING_ARG = Pattern.compile(
            "(?:^|\\s)(?:-o\\s*['\"]?(?i:(ProxyJump|ProxyCommand|HostName|Port|User|IdentityFile|IdentityAgent|CertificateFile))\\b"
                    + "|(-[JplFi]))");

    private final List<String> names;

    AnsibleVars(String... names) {
        this.names = List.of(names);
    }

    /** The name this setting was read from, and its value: the last of its names that is set. */
    Optional<Map.Entry<String, Object>> in(Map<String, Object> vars) {
        for (int i = names.size() - 1; i >= 0; i--) {
            Object v = vars.get(names.get(i));
            if (v != null && !String.valueOf(v).isEmpty()) {
                return Optional.of(Map.entry(names.get(i), v));
            }
        }
        return Optional.empty();
    }

    Optional<String> text(Map<String, Object> vars) {
        return in(vars).map(e -> String.valueOf(e.getValue()));
    }

    /**
     * Adds an error for every variable in {@code vars} (set for {@code owner}) that opsctl cannot
     * honour, at the variable's position in {@code at}, else at {@code owner}'s.
     */
    static void check(SourcePos ownerPos, Map<String, SourcePos> at, String owner, Map<String, Object> vars, Problems problems) {
        for (String name : vars.keySet()) {
            SourcePos pos = at.getOrDefault(name, ownerPos);
            if (LOGIN_PASSWORDS.contains(name)) {
                problems.error(pos, owner + " sets '" + name + "': opsctl logs in with keys or an ssh-agent, never with a password",
                        "authorize a key for that login (ssh-copy-id) and remove '" + name + "'");
            } else if (SUDO_PASSWORDS.contains(name)) {
                problems.error(pos, owner + " sets '" + name + "': opsctl does not read a sudo password from an inventory",
                        "remove it and give the password when you run: --ask-sudo-password, --sudo-password-env NAME "
                                + "or --sudo-password-file FILE");
            } else if (SSH_ARGS.contains(name)) {
                Matcher m = ROUTING_ARG.matcher(String.valueOf(vars.get(name)));
                if (m.find()) {
                    String option = m.group(1) != null ? m.group(1) : m.group(2);
                    problems.error(pos, owner + " sets '" + name + "' with '" + option + "', which opsctl would not apply: "
                            + "it does not run OpenSSH's client, so it would connect another way than the inventory says",
                            "write it in ~/.ssh/config (opsctl reads Host, HostName, User, Port, IdentityFile and ProxyJump there) "
                                    + "or as ansible_host, ansible_port, ansible_user, ansible_ssh_private_key_file");
                }
            } else if (name.equals("ansible_become_method")) {
                String method = String.valueOf(vars.get(name)).strip().toLowerCase(Locale.ROOT);
                if (!method.equals("sudo")) {
                    problems.error(pos, owner + " sets ansible_become_method '" + method + "': opsctl becomes another user "
                            + "with sudo only", "use sudo on those hosts, or remove ansible_become_method");
                }
            }
        }
    }
}
