package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.cli.keeper.KeeperPlace;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecKeeperTest {
    private static CliEnv env(Map<String, String> vars) {
        PrintStream nowhere = new PrintStream(PrintStream.nullOutputStream());
        return new CliEnv(nowhere, nowhere, vars, Path.of("/"), false);
    }

    @Test
    void onlyAnExecAskedToKeepConnectionsIsForwarded() {
        CliEnv none = env(Map.of());
        CliEnv set = env(Map.of(ExecKeeper.ENV, "60s"));
        assertFalse(ExecKeeper.mayForward(none, "exec", "-i", "h", "--", "true"));
        assertTrue(ExecKeeper.mayForward(none, "exec", "--keep-connections", "60s", "-i", "h", "--", "true"));
        assertTrue(ExecKeeper.mayForward(none, "exec", "--keep-connections=5m", "--", "true"));
        assertTrue(ExecKeeper.mayForward(set, "exec", "-i", "h", "--", "true"));
        assertFalse(ExecKeeper.mayForward(set, "exec", "--keep-connections", "0", "--", "true"), "the option wins");
        assertFalse(ExecKeeper.mayForward(none, "exec", "--", "--keep-connections", "60s"), "a word of the command");
        assertFalse(ExecKeeper.mayForward(set, "run", "x.yaml"));
        assertFalse(ExecKeeper.mayForward(env(Map.of(ExecKeeper.ENV, "soon")), "exec", "--", "true"));
    }

    @Test
    void theOptionWinsOverTheEnvironmentAndNothingMeansZero() {
        assertEquals(Duration.ofMinutes(1), ExecKeeper.keepFor(null, env(Map.of(ExecKeeper.ENV, "1m"))));
        assertEquals(Duration.ZERO, ExecKeeper.keepFor(Duration.ZERO, env(Map.of(ExecKeeper.ENV, "1m"))));
        assertEquals(Duration.ZERO, ExecKeeper.keepFor(null, env(Map.of())));
    }

    @Test
    void theKeeperRunsThisJvmOnTheAbsoluteClassPathInASessionOfItsOwn() {
        List<String> cmd = ExecKeeper.keeperCommand(new KeeperPlace(Path.of("/run/x/opsctl"), "abc"), Duration.ofSeconds(90));
        assertEquals(List.of("dev.opsctl.KeeperMain", "/run/x/opsctl", "abc", "90000"), cmd.subList(cmd.size() - 4, cmd.size()));
        String classPath = cmd.get(cmd.indexOf("-cp") + 1);
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            assertTrue(Path.of(entry).isAbsolute(), entry);
        }
        assertTrue(cmd.get(0).endsWith("setsid"), cmd.toString());
        assertTrue(cmd.stream().noneMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit") || a.startsWith("-javaagent")), cmd.toString());
    }
}
