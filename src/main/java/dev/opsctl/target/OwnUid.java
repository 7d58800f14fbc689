package dev.opsctl.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's user id, as the kernel shows it: the owner of {@code /proc/self}. */
public final class OwnUid {
    private OwnUid() {}

    public static int read() throws IOException {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (UnsupportedOperationException e) {
            throw new IOException("this file system has no unix:uid attribute", e);
        }
    }
}
