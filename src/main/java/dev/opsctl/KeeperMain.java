package dev.opsctl;

import dev.opsctl.cli.ExecKeeper;

/** Entry of the connection keeper process that {@code opsctl exec --keep-connections} starts; not for people. */
public final class KeeperMain {
    private KeeperMain() {}

    public static void main(String[] args) {
        System.exit(ExecKeeper.serve(args));
    }
}
