package dev.opsctl.action;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsctl.action.backup.BackupActionType;
import dev.opsctl.action.copy.CopyActionType;
import dev.opsctl.action.restore.RestoreActionType;
import dev.opsctl.action.script.ScriptActionType;
import dev.opsctl.action.shell.ShellActionType;
import dev.opsctl.action.template.TemplateActionType;
import dev.opsctl.action.wait.WaitActionType;
import dev.opsctl.app.Env;
import dev.opsctl.app.LoaderRunbooks;
import dev.opsctl.app.Prompter;
import dev.opsctl.app.RunRequest;
import dev.opsctl.app.Services;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.execute.HostHooks;
import dev.opsctl.engine.execute.Sleeper;
import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.engine.fakes.RecordingSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.inventory.Connection;
import dev.opsctl.inventory.Host;
import dev.opsctl.inventory.Inventory;
import dev.opsctl.runbook.load.Checklists;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every step type that runs commands or moves files behaves the same on every target: a subclass
 * gives the target and an empty directory on it. Controller-side files (scripts, sources, runbooks,
 * the state directory) live in a local temporary directory.
 */
public abstract class StepContract {
    @TempDir
    protected Path controller;

    protected Target target;
    protected String dir;
    private FakeStepContext ctx;
    private ParseFixture fx;

    /** A fresh target for the host named {@code web-1}; closed after each test. */
    protected abstract Target newTarget() throws Exception;

    /** An empty directory on {@link #target} (absolute path), writable by the connecting user. */
    protected abstract String newTempDir() throws Exception;

    @BeforeEach
    void openTarget() throws Exception {
        target = newTarget();
        dir = newTempDir();
        ctx = new FakeStepContext(target, controller.resolve("run"));
        fx = new ParseFixture(controller);
    }

    @AfterEach
    void closeTarget() {
        if (target != null) {
            target.close();
        }
    }

    private <S> StepResult step(ActionType<S> type, String yaml) throws Exception {
        return type.execute(fx.parseClean(type, yaml), ctx);
    }

    private String read(String path) throws Exception {
        return new String(target.get(path, false), UTF_8);
    }

    private String sh(String command) throws Exception {
        ExecResult r = target.exec(ExecRequest.of(command).withTimeout(Duration.ofSeconds(30)));
        assertEquals(0, r.exitCode(), command + ": " + r.stderr());
        return r.stdout();
    }

    private int mode(String path) throws Exception {
        return target.stat(path, false).orElseThrow().mode();
    }

    /** Runs the test's steps with sudo; skipped where the login has neither root nor passwordless sudo. */
    private void withRootOrSudo() throws Exception {
        assumeTrue(target.exec(ExecRequest.of("[ \"$(id -u)\" = 0 ] || sudo -n true")).exitCode() == 0,
                "needs root or passwordless sudo");
        ctx.withSudo(Sudo.ROOT);
    }

    @Test
    void shellRunsOnTheTargetWithChdirEnvAndStdin() throws Exception {
        ctx.set("greeting", "hello; rm -rf /");
        StepResult r = step(new ShellActionType(), """
                shell:
                  cmd: |
                    pwd
                    echo "$GREETING" {{ greeting }}
                    cat
                  chdir: %s
                  env: {GREETING: "{{ greeting }}"}
                  stdin: "from stdin"
                """.formatted(dir));
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals(sh("cd " + dir + " && pwd -P").strip() + "\nhello; rm -rf / hello; rm -rf /\nfrom stdin", r.stdout());
    }

    @Test
    void shellReportsTheExitCodeAndTheLastErrorLine() throws Exception {
        StepResult r = step(new ShellActionType(), "shell: \"echo starting; echo 'unit not found' >&2; exit 3\"\n");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertEquals(3L, r.data().get("rc"));
        assertEquals("unit not found", r.data().get("why"));
    }

    @Test
    void shellSkipsWhenCreatesExists() throws Exception {
        target.put(dir + "/done", new byte[0], FileAttrs.DEFAULT);
        StepResult r = step(new ShellActionType(), "shell: {cmd: 'touch " + dir + "/ran', creates: " + dir + "/done}\n");
        assertEquals(StepResult.Outcome.SKIPPED, r.outcome(), r.message());
        assertEquals(Optional.empty(), target.stat(dir + "/ran", false));
    }

    @Test
    void shellTimeoutEndsTheCommandOnTheTarget() throws Exception {
        ctx.withTimeout(Duration.ofSeconds(1));
        StepResult r = step(new ShellActionType(), "shell: 'echo $$ > " + dir + "/pid; exec sleep 300'\n");
        assertEquals(StepResult.Outcome.TIMED_OUT, r.outcome(), r.message());
        String pid = read(dir + "/pid").strip();
        boolean gone = false;
        for (int i = 0; i < 50 && !gone; i++) {
            gone = target.exec(ExecRequest.of("kill -0 " + pid + " 2>/dev/null")).exitCode() != 0;
            Thread.sleep(gone ? 0 : 100);
        }
        assertTrue(gone, "pid " + pid + " still runs");
    }

    @Test
    void scriptFromTheControllerRunsOnTheTargetWithEachArgumentAsOneWord() throws Exception {
        Files.createDirectories(controller.resolve("scripts"));
        Files.writeString(controller.resolve("scripts/greet.sh"), """
                set -eu
                echo "args: $#"
                for a in "$@"; do echo "[$a]"; done
                id -un > marker
                pwd
                """);
        ctx.set("who", "two words; rm -rf /");
        StepResult r = step(new ScriptActionType(), """
                script:
                  path: scripts/greet.sh
                  args: ["{{ who }}", plain]
                  chdir: %s
                """.formatted(dir));
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("args: 2\n[two words; rm -rf /]\n[plain]\n" + sh("cd " + dir + " && pwd -P").strip(), r.stdout());
        assertEquals(sh("id -un"), read(dir + "/marker"), "the script ran on the target, as its user");
    }

    @Test
    void copyPutsAControllerFileWithItsModeAndBacksUpWhatItReplaces() throws Exception {
        Files.createDirectories(controller.resolve("files"));
        Files.writeString(controller.resolve("files/daemon.json"), "{\"userns-remap\": \"default\"}\n");
        String dest = dir + "/daemon.json";
        target.put(dest, "{}\n".getBytes(UTF_8), FileAttrs.mode(0600));
        StepResult r = step(new CopyActionType(), "copy: {src: files/daemon.json, dest: " + dest + ", mode: '0640', backup: true}\n");
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("{\"userns-remap\": \"default\"}\n", read(dest));
        assertEquals(0640, mode(dest), Integer.toOctalString(mode(dest)));
        String backup = (String) r.data().get("backup");
        assertEquals(dest + ".20261122023015.bak", backup);
        assertEquals("{}\n", read(backup));
        assertEquals(sh("sha256sum < " + dest).split(" ")[0], r.data().get("checksum"));

        StepResult again = step(new CopyActionType(), "copy: {src: files/daemon.json, dest: " + dest + ", mode: '0640', backup: true}\n");
        assertEquals(StepResult.Outcome.OK, again.outcome(), "an unchanged file is not rewritten: " + again.message());
    }

    @Test
    void templateRendersTheRunVariablesIntoTheTargetFile() throws Exception {
        ctx.set("remap_user", "dockremap").set("dir", dir);
        StepResult r = step(new TemplateActionType(),
                "template: {content: \"remap={{ remap_user }}\\n\", dest: '{{ dir }}/remap.conf', mode: '0600'}\n");
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("remap=dockremap\n", read(dir + "/remap.conf"));
        assertEquals(0600, mode(dir + "/remap.conf"));
    }

    private StepResult backUpConfig() throws Exception {
        sh("mkdir -p " + dir + "/conf.d/sub && printf 'one\\n' > " + dir + "/conf.d/one.conf && printf 'two\\n' > " + dir
                + "/conf.d/sub/two.conf");
        target.put(dir + "/daemon.json", "{\"a\": 1}\n".getBytes(UTF_8), FileAttrs.mode(0640));
        StepResult r = step(new BackupActionType(), "backup: {paths: [" + dir + "/daemon.json, " + dir + "/conf.d, " + dir
                + "/absent.conf], missing_ok: true}\n");
        ctx.recordStep("backup-config", r);
        return r;
    }

    @Test
    void backupAndRestoreRoundTripWithVerifiedChecksums() throws Exception {
        StepResult b = backUpConfig();
        assertEquals(StepResult.Outcome.CHANGED, b.outcome(), b.message());
        assertEquals("backed up 2 of 3 paths", b.message());
        Map<?, ?> sums = (Map<?, ?>) b.data().get("checksums");
        String fileSum = sh("sha256sum < " + dir + "/daemon.json").split(" ")[0];
        assertEquals(fileSum, sums.get(dir + "/daemon.json"), "the recorded checksum is the original's");
        assertEquals(0640, mode(dir + "/daemon.json.bak.20261122-023015"));

        target.put(dir + "/daemon.json", "{\"a\": 2, \"broken\": true}\n".getBytes(UTF_8), FileAttrs.mode(0666));
        sh("printf 'changed\\n' > " + dir + "/conf.d/one.conf; printf 'new\\n' > " + dir + "/conf.d/new.conf; touch " + dir
                + "/absent.conf");
        StepResult r = step(new RestoreActionType(), "restore: {from: backup-config}\n");
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("restored 2 paths, removed 1 from step 'backup-config'", r.message());
        assertEquals("{\"a\": 1}\n", read(dir + "/daemon.json"));
        assertEquals(0640, mode(dir + "/daemon.json"));
        assertEquals(fileSum, sh("sha256sum < " + dir + "/daemon.json").split(" ")[0]);
        assertEquals("one\n", read(dir + "/conf.d/one.conf"));
        assertEquals("two\n", read(dir + "/conf.d/sub/two.conf"));
        assertEquals(Optional.empty(), target.stat(dir + "/conf.d/new.conf", false));
        assertEquals(Optional.empty(), target.stat(dir + "/absent.conf", false), "absent at backup time, removed again");
        assertEquals(sums.get(dir + "/conf.d"), ((Map<?, ?>) r.data().get("checksums")).get(dir + "/conf.d"));
    }

    @Test
    void aTamperedBackupIsRefusedAndNothingIsRestored() throws Exception {
        backUpConfig();
        target.put(dir + "/daemon.json", "{\"a\": 2}\n".getBytes(UTF_8), FileAttrs.mode(0640));
        sh("printf 'changed\\n' > " + dir + "/conf.d/one.conf");
        sh("printf 'tampered\\n' >> " + dir + "/conf.d.bak.20261122-023015/sub/two.conf");
        StepResult r = step(new RestoreActionType(), "restore: {from: backup-config}\n");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertTrue(r.message().startsWith("cannot restore '" + dir + "/conf.d', nothing was restored: backup '" + dir
                + "/conf.d.bak.20261122-023015' has sha256 "), r.message());
        assertTrue(r.message().endsWith("it changed since it was made"), r.message());
        assertEquals("{\"a\": 2}\n", read(dir + "/daemon.json"), "verified before anything is touched");
        assertEquals("changed\n", read(dir + "/conf.d/one.conf"));
    }

    @Test
    void aBackedUpSymlinkRestoresTheContentItPointsToAndStaysALink() throws Exception {
        sh("printf orig > " + dir + "/real.conf && ln -s real.conf " + dir + "/link.conf");
        StepResult b = step(new BackupActionType(), "backup: {paths: [" + dir + "/link.conf]}\n");
        assertEquals(StepResult.Outcome.CHANGED, b.outcome(), b.message());
        ctx.recordStep("backup-config", b);
        sh("printf new > " + dir + "/link.conf");
        StepResult r = step(new RestoreActionType(), "restore: {from: backup-config}\n");
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("orig", read(dir + "/real.conf"));
        assertEquals("real.conf\n", sh("readlink " + dir + "/link.conf"), "still a link to the same file");
    }

    private StepResult backUpLink() throws Exception {
        StepResult b = step(new BackupActionType(), "backup: {paths: [" + dir + "/link.conf]}\n");
        assertEquals(StepResult.Outcome.CHANGED, b.outcome(), b.message());
        ctx.recordStep("backup-config", b);
        return b;
    }

    @Test
    void aCopyThatReplacedABackedUpSymlinkIsUndoneAndTheLinkIsPutBack() throws Exception {
        sh("printf orig > " + dir + "/real.conf && ln -s real.conf " + dir + "/link.conf");
        backUpLink();
        assertEquals(StepResult.Outcome.CHANGED, step(new CopyActionType(), "copy: {content: new, dest: " + dir + "/link.conf}\n").outcome());
        sh("[ ! -L " + dir + "/link.conf ]");
        StepResult r = step(new RestoreActionType(), "restore: {from: backup-config}\n");
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("real.conf\n", sh("readlink " + dir + "/link.conf"), "a link again, with the same target text");
        assertEquals("orig", read(dir + "/real.conf"));
        assertEquals("link.conf\nlink.conf.bak.20261122-023015\nreal.conf\n", sh("cd " + dir + " && ls -A"), "no temporary files left");
    }

    @Test
    void aBackedUpSymlinkRetargetedToADirectoryIsRefusedAndNothingIsTouched() throws Exception {
        sh("printf orig > " + dir + "/real.conf && ln -s real.conf " + dir + "/link.conf && mkdir " + dir + "/victim && printf keep > "
                + dir + "/victim/file");
        backUpLink();
        sh("printf new > " + dir + "/real.conf && ln -sfn victim " + dir + "/link.conf");
        StepResult r = step(new RestoreActionType(), "restore: {from: backup-config}\n");
        assertEquals(StepResult.Outcome.FAILED, r.outcome(), r.message());
        assertTrue(r.message().contains("nothing was restored"), r.message());
        assertTrue(r.message().contains("'real.conf'") && r.message().contains("'victim'"), r.message());
        assertEquals("keep", read(dir + "/victim/file"));
        assertEquals("victim\n", sh("readlink " + dir + "/link.conf"));
        assertEquals("new", read(dir + "/real.conf"));
    }

    @Test
    void aBackedUpSymlinksTargetThatBecameASymlinkIsRefusedAndNothingIsWrittenThroughIt() throws Exception {
        sh("printf orig > " + dir + "/real.conf && ln -s real.conf " + dir + "/link.conf && printf other > " + dir + "/other.conf");
        backUpLink();
        sh("rm " + dir + "/real.conf && ln -s other.conf " + dir + "/real.conf");
        StepResult r = step(new RestoreActionType(), "restore: {from: backup-config}\n");
        assertEquals(StepResult.Outcome.FAILED, r.outcome(), r.message());
        assertTrue(r.message().contains("'" + dir + "/real.conf'") && r.message().contains("is now a symlink"), r.message());
        assertEquals("other", read(dir + "/other.conf"));
        assertEquals("other.conf\n", sh("readlink " + dir + "/real.conf"));
        assertEquals("real.conf\n", sh("readlink " + dir + "/link.conf"));
    }

    @Test
    void symlinksInsideABackedUpDirectoryAreRestoredAsLinksAndChecked() throws Exception {
        sh("mkdir " + dir + "/conf.d && printf one > " + dir + "/conf.d/one.conf && ln -s one.conf " + dir + "/conf.d/current");
        StepResult b = step(new BackupActionType(), "backup: {paths: [" + dir + "/conf.d]}\n");
        ctx.recordStep("backup-config", b);
        sh("ln -sfn elsewhere " + dir + "/conf.d/current");
        assertEquals(StepResult.Outcome.CHANGED, step(new RestoreActionType(), "restore: {from: backup-config}\n").outcome());
        assertEquals("one.conf\n", sh("readlink " + dir + "/conf.d/current"));

        sh("ln -sfn elsewhere " + dir + "/conf.d.bak.20261122-023015/current");
        StepResult tampered = step(new RestoreActionType(), "restore: {from: backup-config}\n");
        assertEquals(StepResult.Outcome.FAILED, tampered.outcome());
        assertTrue(tampered.message().endsWith("it changed since it was made"), tampered.message());
    }

    @Test
    void withSudoARootOwnedSymlinkThatACopyReplacedIsPutBackAndItsRootOnlyTargetRestored() throws Exception {
        withRootOrSudo();
        ExecResult made = target.exec(ExecRequest.of("printf orig > " + dir + "/real.conf && chmod 600 " + dir + "/real.conf"
                + " && ln -s real.conf " + dir + "/link.conf && chown -h root:root " + dir + "/real.conf " + dir + "/link.conf")
                .withSudo(Sudo.ROOT));
        assertEquals(0, made.exitCode(), made.stderr());
        backUpLink();
        StepResult c = step(new CopyActionType(), "copy: {content: new, dest: " + dir + "/link.conf}\n");
        assertEquals(StepResult.Outcome.CHANGED, c.outcome(), c.message());
        sh("[ ! -L " + dir + "/link.conf ]");
        StepResult r = step(new RestoreActionType(), "restore: {from: backup-config}\n");
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("real.conf\n", sh("readlink " + dir + "/link.conf"), "a link again, with the same target text");
        assertEquals("orig", new String(target.get(dir + "/real.conf", true), UTF_8));
        assertEquals("600 0:0\n", rootStat(dir + "/real.conf"));
        assertEquals("0:0\n", target.exec(ExecRequest.of("stat -c '%u:%g' " + dir + "/link.conf").withSudo(Sudo.ROOT)).stdout(),
                "the link is root's again, as it was backed up");
        assertEquals("", sh("cd " + dir + " && ls -A | grep -v -e '^link.conf' -e '^real.conf$' || true"), "no temporary files left");
    }

    @Test
    void withSudoARepeatedCopyWithOwnerAndGroupIsOkWithNoNewBackup() throws Exception {
        withRootOrSudo();
        String conf = dir + "/owned.conf";
        target.put(conf, "old\n".getBytes(UTF_8), FileAttrs.DEFAULT);
        String yaml = "copy: {content: \"new\\n\", dest: " + conf + ", mode: '0644', owner: root, group: '0', backup: true}\n";
        assertEquals(StepResult.Outcome.CHANGED, step(new CopyActionType(), yaml).outcome());
        StepResult again = step(new CopyActionType(), yaml);
        assertEquals(StepResult.Outcome.OK, again.outcome(), again.message());
        assertEquals("", again.data().get("backup"));
        assertEquals("owned.conf\nowned.conf.20261122023015.bak\n", sh("cd " + dir + " && ls"));
    }

    @Test
    void withSudoACopyAndABackupRoundTripKeepRootOwnership() throws Exception {
        withRootOrSudo();
        String conf = dir + "/root.conf";
        StepResult c = step(new CopyActionType(), "copy: {content: \"secret=1\\n\", dest: " + conf + ", mode: '0600', owner: root, group: root}\n");
        assertEquals(StepResult.Outcome.CHANGED, c.outcome(), c.message());
        StepResult b = step(new BackupActionType(), "backup: {paths: [" + conf + "]}\n");
        assertEquals(StepResult.Outcome.CHANGED, b.outcome(), b.message());
        ctx.recordStep("backup-config", b);
        target.exec(ExecRequest.of("echo broken > " + conf).withSudo(Sudo.ROOT));
        StepResult r = step(new RestoreActionType(), "restore: {from: backup-config}\n");
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("secret=1\n", new String(target.get(conf, true), UTF_8));
        assertEquals("0:0 600\n", target.exec(ExecRequest.of("stat -c '%u:%g %a' " + conf).withSudo(Sudo.ROOT)).stdout());
    }

    private String rootStat(String path) throws Exception {
        return target.exec(ExecRequest.of("stat -c '%a %u:%g' " + path).withSudo(Sudo.ROOT)).stdout();
    }

    @Test
    void withSudoANewSetuidCopyHasItsSetuidBitAfterTheFirstRun() throws Exception {
        withRootOrSudo();
        String tool = dir + "/tool";
        String yaml = "copy: {content: \"#!/bin/sh\\n\", dest: " + tool + ", mode: '4755', owner: root}\n";
        StepResult r = step(new CopyActionType(), yaml);
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("4755 0", rootStat(tool).split(":")[0]);
        StepResult again = step(new CopyActionType(), yaml);
        assertEquals(StepResult.Outcome.OK, again.outcome(), again.message());
    }

    @Test
    void withSudoACopyWithOwnerAndGroupButNoModeKeepsTheSetuidBitOfAnOwnerThatStays() throws Exception {
        withRootOrSudo();
        String tool = dir + "/tool";
        target.put(tool, "#!/bin/sh\n".getBytes(UTF_8), new FileAttrs(Optional.of(04755), Optional.of("root"), Optional.of("0"), Sudo.ROOT));
        String yaml = "copy: {content: \"#!/bin/sh\\n\", dest: " + tool + ", owner: root, group: '65534'}\n";
        StepResult r = step(new CopyActionType(), yaml);
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals("set group '65534' on '" + tool + "' (content unchanged)", r.message());
        assertEquals("4755 0:65534\n", rootStat(tool));
        assertEquals(StepResult.Outcome.OK, step(new CopyActionType(), yaml).outcome());
        StepResult changed = step(new CopyActionType(), yaml.replace("#!/bin/sh", "#!/bin/sh -e"));
        assertEquals(StepResult.Outcome.CHANGED, changed.outcome(), changed.message());
        assertEquals("4755 0:65534\n", rootStat(tool), "kept when the content changes too");
    }

    @Test
    void waitPollsACommandOnTheTargetUntilItSucceeds() throws Exception {
        String counter = dir + "/count";
        String cmd = "n=$(cat " + counter + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + counter
                + "; echo attempt $n; [ $n -ge 3 ]";
        StepResult r = step(new WaitActionType(), "wait: {command: '" + cmd + "', interval: 2s}\n");
        assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
        assertEquals("ready after 3 attempts (4s)", r.message());
        assertEquals("3\n", read(counter));
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2)), ctx.sleeps);
    }

    @Test
    void waitTimesOutWithTheLastObservation() throws Exception {
        StepResult r = step(new WaitActionType(), "wait: {command: 'echo not yet >&2; exit 1', timeout: 10s, interval: 5s}\n");
        assertEquals(StepResult.Outcome.TIMED_OUT, r.outcome());
        assertEquals("not ready after 10s (3 attempts); last: rc 1: not yet", r.message());
    }

    /** The whole path: loader (include expanded), engine, journal; the host's target is the one under test. */
    @Test
    void aRunbookWithAnIncludeRunsOnTheTargetThroughTheEngine() throws Exception {
        Files.createDirectories(controller.resolve("parts"));
        Files.writeString(controller.resolve("parts/configure.yaml"), """
                kind: Steps
                steps:
                  - id: write
                    template: {content: "port={{ vars.port }}\\n", dest: "{{ dir }}/app.conf", mode: '0640'}
                  - id: check
                    shell: "cat {{ dir }}/app.conf"
                    register: conf
                """);
        Path rb = Files.writeString(controller.resolve("deploy.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: deploy}
                params:
                  dir: {type: string}
                targets: all
                steps:
                  - id: seed
                    shell: "printf 'port=80\\n' > {{ dir }}/app.conf"
                  - id: backup-conf
                    backup: {paths: ["{{ dir }}/app.conf"]}
                  - id: configure
                    include: {file: parts/configure.yaml, vars: {port: 8080}}
                  - id: ready
                    wait: {command: "grep -q 8080 {{ dir }}/app.conf", timeout: 10s, interval: 1s}
                  - id: undo
                    restore: {from: backup-conf}
                  - id: show
                    shell: "echo {{ conf.stdout }} rc={{ steps.configure.check.rc }}; cat {{ dir }}/app.conf"
                """);
        Host host = new Host("web-1", "127.0.0.1", Optional.empty(), Optional.empty(), Optional.empty(), false, "root",
                Connection.SSH, List.of("all"), Map.of());
        Inventory inventory = new Inventory("inv.yaml", List.of(host), Map.of("all", List.of("web-1")));
        TargetProvider targets = new TargetProvider() {
            @Override
            public Target open(Host h) throws dev.opsctl.target.TargetException {
                try {
                    return newTarget();
                } catch (dev.opsctl.target.TargetException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public Target controller(Host forHost) {
                return new LocalTarget("localhost");
            }
        };
        Env env = new Env(controller.resolve("state"), Clock.systemUTC(), "alice", false, Map.of());
        Services services = new Services(env, new LoaderRunbooks(ActionRegistry.standard(), Checklists.ANY), p -> inventory,
                targets, HostHooks.NONE, Sleeper.REAL, Prompter.NON_INTERACTIVE, new Random(7));
        RecordingSink events = new RecordingSink();
        int code = services.runs().run(RunRequest.of(rb).withInventory(controller.resolve("inv.yaml"))
                .withExtraVars(List.of("dir=" + dir)), events);

        assertEquals(ExitCodes.OK, code, events.all().toString());
        List<String> steps = events.of(RunEvent.StepFinished.class).stream().map(e -> e.step() + "=" + e.outcome()).toList();
        assertEquals(List.of("seed=changed", "backup-conf=changed", "configure.write=changed", "configure.check=changed",
                "ready=ok", "undo=changed", "show=changed"), steps);
        assertEquals("port=8080 rc=0\nport=80", events.finished("web-1", "show").get(0).result().get("stdout"),
                "a later step reads an included step's result by its dotted id");
        assertEquals("port=80\n", read(dir + "/app.conf"), "restored");
        assertTrue(events.of(RunEvent.HostStarted.class).get(0).target().equals(target.describe()));
        try (var runs = Files.list(controller.resolve("state/runs"))) {
            Path journal = runs.findFirst().orElseThrow().resolve("journal.jsonl");
            String text = Files.readString(journal);
            assertTrue(text.contains("configure.check"), text);
            assertFalse(text.isBlank());
        }
    }
}
