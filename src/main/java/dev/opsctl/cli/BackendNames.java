package dev.opsctl.cli;

import java.util.Iterator;
import java.util.List;

/** Completion candidates for {@code --backend}. */
final class BackendNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return List.of("docker", "kubernetes").iterator();
    }
}
