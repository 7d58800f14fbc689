package dev.opsctl.target.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsctl.source.Secret;
import dev.opsctl.target.OutputListener;
import dev.opsctl.target.OutputText;
import dev.opsctl.target.Sudo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a command's process group is signalled: through a stand-in sudo (a script that logs how it was
 * called, then runs what follows {@code --}, or refuses), since a unit test cannot become another
 * user. {@code LocalSudoTimeoutIT} runs the real sudo for an operator who is not root.
 */
class GroupKillTest {
    @TempDir
    Path tmp;

    @Test
    void aCommandUnderSudoForAnOperatorWhoIsNotRootIsSignalledThroughSudo() {
        Optional<String> setsid = Optional.of("/usr/bin/setsid");
        assertFalse(LocalCommand.of("true", Sudo.ROOT, false, Map.of(), setsid).group().reachesAll());
        assertFalse(LocalCommand.of("true", Sudo.as("nobody", Optional.empty()), false, Map.of(), setsid).group().reachesAll());
        // root's own kill reaches every user, and a command without sudo runs as opsctl's user
        assertSame(GroupKill.OWN, LocalCommand.of("true", Sudo.as("nobody", Optional.empty()), true, Map.of(), setsid).group());
        assertSame(GroupKill.OWN, LocalCommand.of("true", Sudo.NONE, false, Map.of(), setsid).group());
    }

    @Test
    void theGroupIsSignalledThroughSudoWithThePasswordOnStdinNeverInTheArguments() throws Exception {
        Process group = leader();
        try {
            GroupKill kill = GroupKill.throughSudo(List.of(standIn("exec \"$@\"").toString(), "-S", "-k", "-p", "", "--"),
                    Optional.of(new Secret("pa55word")));
            assertEquals(GroupKill.Left.THERE, kill.signal("0", group.pid()));
            kill.signal("KILL", group.pid());
            assertTrue(group.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "the KILL did not reach the group");
            assertEquals(GroupKill.Left.GONE, kill.signal("0", group.pid()));
            assertFalse(Files.readString(tmp.resolve("args"), UTF_8).contains("pa55word"));
            assertEquals("pa55word\npa55word\npa55word\n", Files.readString(tmp.resolve("stdin"), UTF_8));
        } finally {
            group.destroyForcibly();
        }
    }

    @Test
    void aSudoThatRefusesIsAskedOnceAndAGroupOpsctlCannotSeeIsUnknownNotGone() throws Exception {
        GroupKill kill = GroupKill.throughSudo(List.of(standIn("echo 'sudo: a password is required' >&2; exit 1").toString(), "-n", "--"),
                Optional.empty());
        long noSuchGroup = 4_000_000L;
        assertEquals(GroupKill.Left.UNKNOWN, kill.signal("TERM", noSuchGroup));
        assertEquals(GroupKill.Left.UNKNOWN, kill.signal("0", noSuchGroup));
        assertEquals(1, Files.readAllLines(tmp.resolve("args")).size(), "asked again after a refusal");
        assertEquals(GroupKill.Left.GONE, GroupKill.OWN.signal("0", noSuchGroup));
    }

    @Test
    void aTimedOutCommandWhoseGroupIsStillThereIsReportedAsLeftRunning() throws Exception {
        // a stand-in that runs no kill and says the group is still there: as a root command would for a refused kill
        GroupKill kill = GroupKill.throughSudo(List.of(standIn("echo there").toString(), "-n", "--"), Optional.empty());
        LocalProcess.Outcome o = LocalProcess.run(new LocalCommand(List.of(setsid(), "/bin/sh", "-c", "sleep 300 & sleep 301; wait"),
                true, kill), Map.of(), Optional.empty(), Optional.of(Duration.ofMillis(300)), OutputListener.NONE, 4096, OutputText.REPLACED);
        assertTrue(o.timedOut());
        assertTrue(o.leftRunning());
        assertTrue(o.toResult(OutputText.REPLACED).stoppedOrNot().contains("may still be running"), o.toResult(OutputText.REPLACED).stoppedOrNot());
    }

    @Test
    void aTimedOutCommandWhoseGroupSudoEndedIsReportedAsStopped() throws Exception {
        Path pids = tmp.resolve("pids");
        GroupKill kill = GroupKill.throughSudo(List.of(standIn("exec \"$@\"").toString(), "-n", "--"), Optional.empty());
        LocalProcess.Outcome o = LocalProcess.run(new LocalCommand(List.of(setsid(), "/bin/sh", "-c",
                "sleep 300 & echo $! >> " + pids + "; sleep 301 & echo $! >> " + pids + "; wait"), true, kill),
                Map.of(), Optional.empty(), Optional.of(Duration.ofMillis(500)), OutputListener.NONE, 4096, OutputText.REPLACED);
        assertTrue(o.timedOut());
        assertFalse(o.leftRunning());
        for (String pid : Files.readAllLines(pids)) {
            assertFalse(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)
                    && !zombie(pid), "sleep " + pid + " survived");
        }
        assertTrue(Files.readString(tmp.resolve("args"), UTF_8).contains("kill -TERM"));
    }

    /** A process leading a group of its own, as a command started through setsid does. */
    private Process leader() throws Exception {
        return new ProcessBuilder(setsid(), "sleep", "300").start();
    }

    private static String setsid() {
        Optional<String> setsid = ProcessTree.setsid();
        assumeTrue(setsid.isPresent(), "needs setsid (util-linux)");
        return setsid.get();
    }

    /** A stand-in sudo: logs its arguments (and, with -S, the line it read) under tmp, skips to "--", then runs {@code body}. */
    private Path standIn(String body) throws Exception {
        Path script = tmp.resolve("sudo");
        Files.writeString(script, "#!/bin/sh\n"
                + "printf '%s\\n' \"$*\" >> " + tmp.resolve("args") + "\n"
                + "if [ \"$1\" = -S ]; then IFS= read -r pw; printf '%s\\n' \"$pw\" >> " + tmp.resolve("stdin") + "; fi\n"
                + "while [ \"$1\" != -- ]; do shift; done; shift\n"
                + body + "\n", UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static boolean zombie(String pid) throws Exception {
        Path stat = Path.of("/proc", pid, "stat");
        if (!Files.exists(stat)) {
            return true;
        }
        String s = Files.readString(stat);
        return s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
    }
}
