package dev.opsctl.inventory;

/** How a host is reached. */
public enum Connection {
    /** this machine, through ProcessBuilder */
    LOCAL,
    /** over SSH */
    SSH
}
