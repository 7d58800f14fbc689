package dev.opsctl.engine.fakes;

import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.inventory.Host;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Hands out {@link FakeTarget}s; hosts named in {@code unreachable} fail to open. */
public final class FakeTargets implements TargetProvider {
    private final Set<String> unreachable;
    public final Map<String, FakeTarget> opened = new ConcurrentHashMap<>();
    public final List<FakeTarget> controllers = new CopyOnWriteArrayList<>();

    public FakeTargets(Set<String> unreachable) {
        this.unreachable = Set.copyOf(unreachable);
    }

    public FakeTargets() {
        this(Set.of());
    }

    @Override
    public Target open(Host host) throws TargetException {
        if (unreachable.contains(host.name())) {
            throw TargetException.unreachable(host.name(), "connection refused", null);
        }
        FakeTarget t = new FakeTarget(host.name(), "fake " + host.address());
        opened.put(host.name(), t);
        return t;
    }

    @Override
    public Target controller(Host forHost) {
        FakeTarget t = new FakeTarget("localhost", "local (for " + forHost.name() + ")");
        controllers.add(t);
        return t;
    }
}
