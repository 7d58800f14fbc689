package dev.opsctl.engine.fakes;

import dev.opsctl.inventory.Connection;
import dev.opsctl.inventory.Host;
import dev.opsctl.param.Param;
import dev.opsctl.runbook.model.BatchSize;
import dev.opsctl.runbook.model.Gates;
import dev.opsctl.runbook.model.Metadata;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.runbook.model.Strategy;
import dev.opsctl.runbook.model.Targets;
import dev.opsctl.source.SourcePos;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runbooks and hosts for engine tests, built directly as model records. */
public final class TestRunbooks {
    private TestRunbooks() {}

    public static Runbook runbook(Strategy strategy, List<Param> params, TestSteps... steps) {
        List<Step> built = new ArrayList<>();
        for (TestSteps s : steps) {
            built.add(s.build());
        }
        return new Runbook(Path.of("runbooks/test.yaml"), "sha256:0000", new Metadata("test", "a test runbook", Map.of()),
                params, new Targets(List.of("all"), SourcePos.NONE), strategy, Gates.NONE, List.of(), built, List.of(),
                SourcePos.NONE);
    }

    public static Runbook runbook(Strategy strategy, TestSteps... steps) {
        return runbook(strategy, List.of(), steps);
    }

    public static Strategy serial(List<BatchSize> serial, int maxFailures, boolean continueOnFailure) {
        return new Strategy(serial, maxFailures, continueOnFailure, Optional.empty(), Optional.empty(), Duration.ZERO, SourcePos.NONE);
    }

    public static Strategy window(String window) {
        return new Strategy(List.of(new BatchSize(100, true)), 0, false, Optional.of(window), Optional.empty(), Duration.ZERO,
                SourcePos.NONE);
    }

    public static BatchSize n(int n) {
        return new BatchSize(n, false);
    }

    public static BatchSize pct(int p) {
        return new BatchSize(p, true);
    }

    public static Host host(String name) {
        return new Host(name, "10.0.0." + Math.abs(name.hashCode() % 250), Optional.of(22), Optional.of("deploy"),
                Optional.empty(), false, "root", Connection.SSH, List.of("all", "web"), Map.of("role", "web"));
    }

    public static List<Host> hosts(int n) {
        List<Host> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(host("web" + i));
        }
        return out;
    }
}
