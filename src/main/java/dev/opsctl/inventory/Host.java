package dev.opsctl.inventory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One resolved host. {@code address} is what to connect to ({@code ansible_host}, else the name);
 * {@code become}: every command on it runs as {@code becomeUser} through sudo ({@code
 * ansible_become}, {@code ansible_become_user}, root when unset); {@code vars} are the host's variables after group vars are merged (host wins), readable in
 * templates as {@code host.vars.<name>} and, for convenience, {@code vars.<name>}.
 */
public record Host(
        String name,
        String address,
        Optional<Integer> port,
        Optional<String> user,
        Optional<String> identityFile,
        boolean become,
        String becomeUser,
        Connection connection,
        List<String> groups,
        Map<String, Object> vars) {

    public Host {
        groups = List.copyOf(groups);
        vars = Map.copyOf(vars);
    }

    /** The embedded local target, used when a run names no inventory. */
    public static Host local() {
        return new Host("localhost", "127.0.0.1", Optional.empty(), Optional.empty(), Optional.empty(), false, "root",
                Connection.LOCAL, List.of("all"), Map.of());
    }
}
