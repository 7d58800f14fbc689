package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.fakes.TestRunbooks;
import dev.opsctl.param.Param;
import dev.opsctl.param.ParamType;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Strategy;
import dev.opsctl.source.Secret;
import dev.opsctl.source.SourcePos;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParamResolverTest {
    private static Param p(String name, ParamType t, Object def) {
        return new Param(name, t, Optional.ofNullable(def), "", List.of(), Optional.empty(), SourcePos.NONE);
    }

    private static final Runbook RB = TestRunbooks.runbook(Strategy.DEFAULT, List.of(
            p("count", ParamType.INT, 3L), p("dry", ParamType.BOOL, false), p("wait", ParamType.DURATION, Duration.ofMinutes(2)),
            p("hosts", ParamType.LIST, List.of()), p("name", ParamType.STRING, "x"),
            new Param("token", ParamType.SECRET, Optional.empty(), "", List.of(), Optional.of("OPS_TOKEN"), SourcePos.NONE)));

    @Test
    void valuesAreTypedAndDefaultsFillTheRest() throws Exception {
        Map<String, Object> v = ParamResolver.resolve(RB, List.of("count=5", "dry=yes", "wait=90s", "hosts=a, b", "token=s3cret!"),
                Map.of());
        assertEquals(5L, v.get("count"));
        assertEquals(true, v.get("dry"));
        assertEquals(Duration.ofSeconds(90), v.get("wait"));
        assertEquals(List.of("a", "b"), v.get("hosts"));
        assertEquals("x", v.get("name"));
        assertEquals(new Secret("s3cret!"), v.get("token"));
    }

    @Test
    void aSecretMayComeFromItsEnvironmentVariable() throws Exception {
        assertEquals(new Secret("from-env"), ParamResolver.resolve(RB, List.of(), Map.of("OPS_TOKEN", "from-env")).get("token"));
    }

    @Test
    void everyProblemIsReportedAtOnceAsAUsageError() {
        OpsctlException e = assertThrows(OpsctlException.class,
                () -> ParamResolver.resolve(RB, List.of("coutn=1", "dry=maybe", "wait=soon", "novalue"), Map.of()));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        String m = e.getMessage();
        assertTrue(m.contains("unknown param 'coutn' for runbook 'test'; did you mean 'count'?"), m);
        assertTrue(m.contains("param 'dry' must be true or false, got 'maybe'"), m);
        assertTrue(m.contains("param 'wait' must be a duration like 90s, 5m or 1h30m, got 'soon'"), m);
        assertTrue(m.contains("bad -e 'novalue': expected KEY=VALUE"), m);
        assertTrue(m.contains("missing required param 'token': pass -e token=VALUE or set $OPS_TOKEN"), m);
    }

    @Test
    void aParamThatMakesATemplatedDurationNoDurationIsRefusedBeforeTheRun() throws Exception {
        Runbook rb = new LoaderRunbooks(dev.opsctl.action.ActionRegistry.standard(),
                dev.opsctl.runbook.load.Checklists.ANY).load(java.nio.file.Path.of("runbooks/userns-remap.yaml"));
        OpsctlException e = assertThrows(OpsctlException.class, () -> ParamResolver.resolve(rb, List.of("poll_interval=0s"), Map.of()));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("'interval' in 'wait' of step 'wait-warm-pool' is '0', not a duration longer than 0s"),
                e.getMessage());
        assertTrue(e.getMessage().contains("of step 'rb-health'"), "the rollback's steps too: " + e.getMessage());
        assertEquals(Duration.ofSeconds(2), ParamResolver.resolve(rb, List.of("poll_interval=2s"), Map.of()).get("poll_interval"));
    }
}
