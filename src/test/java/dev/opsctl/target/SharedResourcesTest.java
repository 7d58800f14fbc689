package dev.opsctl.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedResourcesTest {
    @Test
    void keepsOnePerKeyAndClosesNewestFirstOnce() {
        List<String> closed = new ArrayList<>();
        SharedResources r = new SharedResources();
        AutoCloseable a = r.get("a", AutoCloseable.class, () -> () -> closed.add("a"));
        assertSame(a, r.get("a", AutoCloseable.class, () -> () -> closed.add("a2")));
        r.get("b", AutoCloseable.class, () -> () -> {
            closed.add("b");
            throw new IllegalStateException("closing b fails");
        });
        r.close();
        r.close();
        assertEquals(List.of("b", "a"), closed);
        assertThrows(IllegalStateException.class, () -> r.get("c", AutoCloseable.class, () -> () -> {}));
    }

    @Test
    void theLocalTargetForwardsASocketAsItselfAndClosesSharedResourcesWithItself() throws Exception {
        List<String> closed = new ArrayList<>();
        LocalTarget t = new LocalTarget("here");
        assertEquals(Path.of("/var/run/docker.sock"), t.forward("/var/run/docker.sock"));
        t.shared("docker:/var/run/docker.sock", AutoCloseable.class, () -> () -> closed.add("client"));
        t.close();
        assertEquals(List.of("client"), closed);
    }
}
