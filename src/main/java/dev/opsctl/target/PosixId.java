package dev.opsctl.target;

/**
 * A file's owner or group as the host knows it: the numeric id and its name (the id in decimal when
 * the host has no name for it, as {@code ls -n} would show).
 */
public record PosixId(int id, String name) {
    /** True when {@code requested}, a name or a decimal id as a step writes it, is this one. */
    public boolean is(String requested) {
        return requested.equals(name) || (requested.matches("[0-9]{1,9}") && Integer.parseInt(requested) == id);
    }
}
