package dev.opsctl.runbook.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.param.Param;
import dev.opsctl.param.ParamType;
import dev.opsctl.runbook.model.BatchSize;
import dev.opsctl.runbook.model.GatePhase;
import dev.opsctl.runbook.model.RunOn;
import dev.opsctl.runbook.model.Runbook;
import dev.opsctl.runbook.model.Step;
import dev.opsctl.runbook.model.Trigger;
import dev.opsctl.runbook.model.TriggerAction;
import dev.opsctl.source.Secret;
import dev.opsctl.source.SourcePos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunbookLoaderTest {
    private static final Path VALID = Path.of("src/test/resources/runbooks/valid");
    private final RunbookLoader loader = new RunbookLoader(TestRegistry.create(), TestRegistry.CHECKLISTS);

    private Runbook loadValid(String name) {
        LoadResult result = loader.load(VALID.resolve(name));
        assertTrue(result.ok(), () -> result.problems().render());
        assertTrue(result.problems().isEmpty(), () -> result.problems().render());
        return result.runbook().orElseThrow();
    }

    private LoadResult loadText(String yaml) {
        return loader.load("t.yaml", "apiVersion: opsctl/v1\nkind: Runbook\nmetadata: {name: t}\n" + yaml, VALID);
    }

    @Test
    void loadsMetadataTargetsStrategyAndGates() {
        Runbook rb = loadValid("full.yaml");
        assertEquals("userns-remap", rb.name());
        assertEquals(Map.of("source", "seeds/000"), rb.metadata().labels());
        assertEquals(List.of("docker_hosts", "!docker3"), rb.targets().patterns());
        assertEquals(List.of(new BatchSize(1, false), new BatchSize(50, true), new BatchSize(100, true)), rb.strategy().serial());
        assertEquals(1, rb.strategy().maxFailures());
        assertEquals(Optional.of("02:00-05:00 Asia/Tokyo"), rb.strategy().window());
        assertEquals(Optional.of(2), rb.strategy().maxOutOfService());
        assertEquals(Duration.ofMinutes(5), rb.strategy().bufferPerHost());
        assertEquals("predeploy", rb.gates().at(GatePhase.BEFORE_RUN).get(0).checklist());
        assertEquals("post-deploy-immediate", rb.gates().at(GatePhase.AFTER_HOST).get(0).checklist());
        assertEquals(2, rb.gates().approvals());
    }

    @Test
    void convertsParamDefaultsToTheirTypes() {
        Runbook rb = loadValid("full.yaml");
        assertEquals(Optional.of(Duration.ofMinutes(2)), rb.param("drain_wait").orElseThrow().defaultValue());
        assertEquals(Optional.of(3L), rb.param("batch").orElseThrow().defaultValue());
        assertEquals(Optional.of(false), rb.param("dry").orElseThrow().defaultValue());
        assertEquals(Optional.of(List.of("/etc/docker/daemon.json", "/etc/subuid")), rb.param("paths").orElseThrow().defaultValue());
        Param token = rb.param("token").orElseThrow();
        assertTrue(token.secret() && token.required());
        assertEquals(Optional.of("OPS_TOKEN"), token.env());
        assertEquals(List.of("fast", "safe"), rb.param("mode").orElseThrow().choices());
        Param shortInt = rb.param("retries_short").orElseThrow();
        assertEquals(ParamType.INT, shortInt.type());
        assertEquals(Optional.of(2L), shortInt.defaultValue());
        assertEquals(ParamType.STRING, rb.param("label").orElseThrow().type());
        assertEquals(new SourcePos("src/test/resources/runbooks/valid/full.yaml", 9, 3), rb.param("drain_wait").orElseThrow().pos());
    }

    @Test
    void secretDefaultsAreSecrets() {
        LoadResult r = loadText("params:\n  pw: {type: secret, default: hunter2}\nsteps:\n  - shell: uptime\n");
        Object value = r.runbook().orElseThrow().param("pw").orElseThrow().defaultValue().orElseThrow();
        assertEquals(new Secret("hunter2"), value);
        assertFalse(value.toString().contains("hunter2"));
    }

    @Test
    void readsStepOptionsAndGeneratesMissingIds() {
        Runbook rb = loadValid("full.yaml");
        Step restart = rb.step("restart-docker").orElseThrow();
        assertEquals(Optional.of("restart the daemon"), restart.name());
        assertEquals("shell", restart.action().typeName());
        assertEquals(new TestRegistry.ShellSpec("{{ restart_cmd }}", Optional.of("rc == 0")), restart.action().spec());
        assertEquals(2, restart.retries());
        assertEquals(Duration.ofSeconds(10), restart.delay().literal());
        assertEquals(Optional.of(Duration.ofMinutes(2)), restart.timeout());
        assertEquals(Optional.of("restart_out"), restart.register());
        assertEquals(Optional.of(Duration.ofSeconds(30)), restart.estimate());
        assertTrue(restart.sudo() && restart.idempotent() && !restart.ignoreErrors());
        assertEquals(RunOn.CONTROLLER, rb.step("drain").orElseThrow().runOn());
        Step drain = rb.step("drain").orElseThrow();
        assertEquals(StepReader.DEFAULT_DELAY, drain.delay().literal());
        assertEquals("step-6", rb.steps().get(rb.steps().size() - 1).id());
        assertEquals(List.of("rollback-1", "rollback-2"), rb.rollback().stream().map(Step::id).toList());
    }

    @Test
    void expandsIncludesInPlaceWithPrefixedIdsTheirOwnPositionsAndVars() {
        Runbook rb = loadValid("full.yaml");
        List<String> ids = rb.steps().stream().map(Step::id).toList();
        assertEquals(List.of("drain", "backup-config", "restart-docker", "deploy.pull", "deploy.start", "check", "step-6"), ids);
        Step pull = rb.step("deploy.pull").orElseThrow();
        assertEquals(new SourcePos("src/test/resources/runbooks/valid/parts/deploy-steps.yaml", 4, 5), pull.pos());
        assertEquals(Map.of("tag", "latest", "port", 8080L), pull.vars());
        assertEquals(Map.of("port", 8080L), rb.step("deploy.start").orElseThrow().vars());
    }

    @Test
    void readsBothKindsOfTrigger() {
        Runbook rb = loadValid("full.yaml");
        Trigger onStep = rb.triggers().get(0);
        assertEquals(Optional.of(new Trigger.StepFailure(Optional.of("restart-docker"), Optional.of("exit"))), onStep.onStep());
        assertEquals(TriggerAction.ROLLBACK, onStep.then());
        assertEquals(Duration.ofSeconds(10), onStep.interval());
        Trigger probe = rb.triggers().get(1);
        assertEquals("http", probe.probe().orElseThrow().typeName());
        assertEquals(Optional.of("status >= 500"), probe.when());
        assertEquals(Optional.of(Duration.ofMinutes(1)), probe.forDuration());
        assertEquals(Duration.ofSeconds(5), probe.interval());
        assertEquals(3, probe.failureLimit());
        assertEquals(TriggerAction.ASK, probe.then());
        assertEquals(Optional.of(Duration.ofMinutes(10)), probe.askTimeout());
        assertEquals(TriggerAction.HALT, probe.onAskTimeout());
    }

    @Test
    void digestCoversTheFileAndItsIncludes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("rb.yaml"),
                "apiVersion: opsctl/v1\nkind: Runbook\nmetadata: {name: t}\nsteps:\n  - id: inc\n    include: part.yaml\n");
        Files.writeString(dir.resolve("part.yaml"), "kind: Steps\nsteps:\n  - shell: uptime\n");
        String first = loader.load(dir.resolve("rb.yaml")).runbook().orElseThrow().digest();
        assertEquals(64, first.length());
        assertEquals(first, loader.load(dir.resolve("rb.yaml")).runbook().orElseThrow().digest());
        Files.writeString(dir.resolve("part.yaml"), "kind: Steps\nsteps:\n  - shell: uptime -p\n");
        assertNotEquals(first, loader.load(dir.resolve("rb.yaml")).runbook().orElseThrow().digest());
    }

    @Test
    void namesFilesAsTheCallerGaveThem() {
        LoadResult r = loader.load(Path.of("src/test/resources/runbooks/invalid/unknown-step-key.yaml"));
        assertTrue(r.problems().render().startsWith("src/test/resources/runbooks/invalid/unknown-step-key.yaml:8:5: error:"),
                r.problems().render());
    }

    @Test
    void aMissingFileIsAProblemNotAnException() {
        LoadResult r = loader.load(Path.of("no/such/runbook.yaml"));
        assertFalse(r.ok());
        assertTrue(r.problems().render().startsWith("no/such/runbook.yaml: error: cannot read runbook"), r.problems().render());
    }

    @Test
    void untilMayReadResultFieldsAndRegisteredNamesOfEarlierSteps() {
        LoadResult r = loadText("steps:\n  - id: a\n    shell: date\n    register: out\n"
                + "  - shell: \"echo {{ out.stdout }}\"\n    until: \"rc == 0 and stdout contains 'x'\"\n    retries: 3\n");
        assertTrue(r.ok(), r.problems().render());
    }

    @Test
    void aRegisteredNameIsNotVisibleBeforeItsStep() {
        LoadResult r = loadText("steps:\n  - shell: \"echo {{ out.stdout }}\"\n  - shell: date\n    register: out\n");
        assertTrue(r.problems().render().contains("undefined variable 'out'"), r.problems().render());
    }

    @Test
    void aRollbackStepMayNotReadWhatAMainStepLeavesAsIfItWereSureToExist() {
        String steps = "steps:\n  - id: check\n    shell: test -w /etc\n  - id: save\n    shell: cat /etc/app.conf\n    register: saved\n";
        LoadResult plain = loadText(steps + "rollback:\n  - shell: \"echo {{ saved.stdout }} > /etc/app.conf\"\n");
        assertEquals(1, plain.problems().size(), plain.problems().render());
        String rendered = plain.problems().render();
        assertTrue(plain.problems().sorted().get(0).headline().startsWith("t.yaml:11:21: error: 'saved' may not exist when the rollback runs: "
                + "step 'save' registers it, and a rollback can start before that step ran"), rendered);
        assertTrue(rendered.contains("when: \"default(saved.stdout, false)\"") && rendered.contains("default(saved.stdout, <fallback>)"), rendered);

        LoadResult result = loadText(steps + "rollback:\n  - shell: \"echo {{ steps.check.rc }}\"\n");
        assertTrue(result.problems().render().contains("'steps.check' may not exist when the rollback runs: it is the result of step 'check'"),
                result.problems().render());

        assertTrue(loadText(steps + "rollback:\n  - shell: \"echo {{ default(saved.stdout, '') }}\"\n").ok(), "a default says what then");
        LoadResult guarded = loadText(steps + "rollback:\n  - when: \"default(saved, false)\"\n    shell: \"echo {{ saved.stdout }}\"\n");
        assertTrue(guarded.ok(), guarded.problems().render());
        String body = "    shell: \"echo {{ saved.path }}\"\n";
        assertTrue(loadText(steps + "rollback:\n  - when: \"default(saved.path, false) and params.x\"\n" + body).problems().render()
                .contains("unknown param"), "a required path in an and-chain guards (only the unknown param is reported)");
        for (String notAGuard : List.of("not default(saved.path, false)", "default(saved.path, true)", "default(saved.path, false) or true",
                "default(saved, false)")) {
            LoadResult r = loadText(steps + "rollback:\n  - when: \"" + notAGuard + "\"\n" + body);
            String missing = notAGuard.equals("default(saved, false)") ? "'saved.path'" : "'saved'";
            assertTrue(r.problems().render().contains(missing + " may not exist when the rollback runs"),
                    notAGuard + " guards nothing here (a failed step registers rc and stdout, not path): " + r.problems().render());
        }
        LoadResult otherRoot = loadText(steps + "rollback:\n  - when: \"default(saved.check, false)\"\n    shell: \"echo {{ steps.check.rc }}\"\n");
        assertTrue(otherRoot.problems().render().contains("'steps.check' may not exist"), otherRoot.problems().render());
        LoadResult ownUntil = loadText(steps + "rollback:\n  - shell: cat /etc/app.conf\n    register: saved\n    until: \"saved.rc == 0\"\n"
                + "    retries: 2\n");
        assertTrue(ownUntil.ok(), "until reads the step's own result: " + ownUntil.problems().render());
        LoadResult plainWhen = loadText(steps + "rollback:\n  - when: \"saved.rc == 0\"\n    shell: \"echo {{ saved.stdout }}\"\n");
        assertEquals(2, plainWhen.problems().size(), "a plain read in the when guards nothing, and fails itself: " + plainWhen.problems().render());
        LoadResult ownRegister = loadText(steps + "rollback:\n  - shell: date\n    register: when_undone\n"
                + "  - shell: \"echo {{ when_undone.stdout }}\"\n");
        assertTrue(ownRegister.ok(), "what an earlier rollback step registers is there: " + ownRegister.problems().render());
        LoadResult reRegistered = loadText(steps + "rollback:\n  - shell: cat /etc/app.conf\n    register: saved\n"
                + "  - shell: \"echo {{ saved.stdout }}\"\n");
        assertTrue(reRegistered.ok(), "the rollback registered 'saved' itself: " + reRegistered.problems().render());
        assertTrue(loadText(steps + "rollback:\n  - when: \"run.id != ''\"\n    shell: cat /etc/app.conf\n    register: saved\n"
                + "  - shell: \"echo {{ saved.rc }} {{ saved.stdout }}\"\n").ok(),
                "a rollback step skipped by its when still records rc and stdout");
        assertTrue(loadText(steps + "rollback:\n  - shell: \"echo {{ nope }}\"\n").problems().render().contains("undefined variable 'nope'"));
    }

    @Test
    void whatARollbackStepThatMayHaveBeenSkippedOrFailedRegisteredHasOnlyTheFieldsEveryResultHas() {
        String steps = "steps:\n  - shell: \"true\"\nrollback:\n";
        String fetch = "  - id: fetch\n    http: {url: \"http://127.0.0.1:9/state\"}\n    register: state\n";
        String readSpec = "  - shell: \"echo {{ state.headers.etag }}\"\n";
        LoadResult full = loadText(steps + fetch + readSpec);
        assertTrue(full.ok(), "an unconditional rollback step that succeeded left its object: " + full.problems().render());
        for (String how : List.of("    ignore_errors: true\n", "    when: \"run.id != ''\"\n")) {
            LoadResult r = loadText(steps + fetch + how + readSpec);
            assertEquals(1, r.problems().size(), how + r.problems().render());
            assertTrue(r.problems().render().contains("'state.headers' may not exist when the rollback runs: rollback step 'fetch' registers it, "
                    + "and a rollback step skipped by its 'when' or failed with ignore_errors is recorded with only changed, elapsed_ms, "
                    + "failed, outcome, rc, stderr, stdout"), r.problems().render());
            assertTrue(r.problems().render().contains("when: \"default(state.headers.etag, false)\""), r.problems().render());
            assertTrue(loadText(steps + fetch + how + "  - shell: \"echo {{ state.rc }} {{ steps.fetch.outcome }}\"\n").ok(),
                    "the fields every result has are there: " + how);
            assertTrue(loadText(steps + fetch + how + "  - when: \"default(state.headers, false)\"\n    shell: \"echo {{ state.headers.etag }}\"\n")
                    .ok(), "a guard below the register covers the read: " + how);
            LoadResult byId = loadText(steps + fetch + how + "  - shell: \"echo {{ steps.fetch.body }}\"\n");
            assertTrue(byId.problems().render().contains("'steps.fetch.body' may not exist when the rollback runs: it is the result of rollback step 'fetch'"),
                    byId.problems().render());
            assertTrue(loadText(steps + fetch + how + fetch.replace("id: fetch", "id: again") + readSpec).ok(),
                    "registered again, in full, by an unconditional step: " + how);
        }
        String mainToo = "steps:\n  - id: save\n    shell: cat /etc/app.conf\n    register: state\nrollback:\n";
        LoadResult both = loadText(mainToo + fetch + "    when: \"run.id != ''\"\n" + readSpec);
        assertTrue(both.problems().render().contains("'state.headers' may not exist when the rollback runs: rollback step 'fetch' registers it"),
                "a main step registered it too, but the rollback step may have replaced it with a skipped result: " + both.problems().render());
    }

    @Test
    void aRollbackStepCannotReadWhatALaterRollbackStepLeaves() {
        LoadResult r = loadText("steps:\n  - shell: \"true\"\nrollback:\n  - shell: \"echo {{ steps.fetch.body }}\"\n"
                + "  - shell: \"echo {{ state.body }}\"\n  - id: fetch\n    http: {url: \"http://127.0.0.1:9/state\"}\n    register: state\n");
        String rendered = r.problems().render();
        assertEquals(2, r.problems().size(), rendered);
        assertTrue(rendered.contains("step 'fetch' has not run yet at this point"), rendered);
        assertTrue(rendered.contains("undefined variable 'state'"), rendered);
    }

    @Test
    void aRollbackIncludeHasNoResultOfItsOwn(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("undo.yaml"), "- id: restore\n  shell: \"true\"\n");
        String head = "apiVersion: opsctl/v1\nkind: Runbook\nmetadata: {name: t}\nsteps:\n  - shell: \"true\"\n"
                + "rollback:\n  - id: undo\n    include: undo.yaml\n";
        Files.writeString(dir.resolve("rb.yaml"), head + "  - shell: \"echo {{ steps.undo.rc }}\"\n");
        LoadResult r = loader.load(dir.resolve("rb.yaml"));
        assertTrue(r.problems().render().contains("'steps.undo' may not exist when the rollback runs: 'undo' is an include, which has no "
                + "result of its own (its steps have one: steps.undo.<step>)"), r.problems().render());
        Files.writeString(dir.resolve("rb.yaml"), head + "  - shell: \"echo {{ steps.undo.restore.rc }}\"\n");
        LoadResult byStep = loader.load(dir.resolve("rb.yaml"));
        assertTrue(byStep.ok(), byStep.problems().render());
    }

    @Test
    void checksConditionsForTheStepTypeWithItsOwnNames() {
        assertTrue(loadText("steps:\n  - http: {url: \"http://x/\", expect: \"status == 200\"}\n").ok());
        LoadResult bad = loadText("steps:\n  - http: {url: \"http://x/\", expect: \"stat == 200\"}\n");
        assertEquals(1, bad.problems().size(), bad.problems().render());
    }

    @Test
    void emptyStepsIsAProblem() {
        LoadResult r = loadText("steps: []\n");
        assertTrue(r.problems().render().contains("'steps' needs at least one step"), r.problems().render());
    }

    @Test
    void reportsTheColumnInsideAPlainScalar() {
        LoadResult r = loadText("steps:\n  - shell: echo {{ nope }}\n");
        assertEquals("t.yaml:5:20: error: undefined variable 'nope'", r.problems().sorted().get(0).headline());
    }

    @Test
    void reportsTheLineOfABlockScalar() {
        LoadResult r = loadText("steps:\n  - shell: |\n      echo one\n      echo {{ nope }}\n");
        assertEquals("t.yaml:5:12: error: undefined variable 'nope'", r.problems().sorted().get(0).headline());
    }

    @Test
    void includeFilesMayBePlainListsAndNest(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("rb.yaml"),
                "apiVersion: opsctl/v1\nkind: Runbook\nmetadata: {name: t}\nsteps:\n  - id: outer\n    include: {file: a.yaml, vars: {x: 1}}\n"
                        + "  - shell: \"echo {{ steps.outer.inner.leaf.stdout }}\"\n");
        Files.writeString(dir.resolve("a.yaml"), "- id: inner\n  include: sub/b.yaml\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.yaml"), "kind: Steps\nsteps:\n  - id: leaf\n    shell: \"echo {{ vars.x }}\"\n");
        LoadResult r = loader.load(dir.resolve("rb.yaml"));
        assertTrue(r.ok(), r.problems().render());
        assertEquals(List.of("outer.inner.leaf", "step-2"), r.runbook().orElseThrow().steps().stream().map(Step::id).toList());
        assertEquals(Map.of("x", 1L), r.runbook().orElseThrow().steps().get(0).vars());

        Files.writeString(dir.resolve("rb.yaml"), Files.readString(dir.resolve("rb.yaml"))
                + "rollback:\n  - shell: \"echo {{ steps.outer.inner.leaf.stdout }}\"\n");
        LoadResult rollback = loader.load(dir.resolve("rb.yaml"));
        assertTrue(rollback.problems().render().contains("'steps.outer.inner.leaf' may not exist when the rollback runs"),
                rollback.problems().render());
    }

    @Test
    void readsRunbookText() throws IOException {
        String text = Files.readString(VALID.resolve("minimal.yaml"), StandardCharsets.UTF_8);
        LoadResult r = loader.load("minimal.yaml", text, VALID);
        assertTrue(r.ok(), r.problems().render());
        assertTrue(r.runbook().orElseThrow().targets().isLocal());
        assertEquals(1, r.runbook().orElseThrow().steps().size());
    }
}
