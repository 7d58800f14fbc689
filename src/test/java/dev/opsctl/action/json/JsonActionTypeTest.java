package dev.opsctl.action.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.action.FakeStepContext;
import dev.opsctl.action.ParseFixture;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonActionTypeTest {
    @TempDir
    Path tmp;

    private final JsonActionType type = new JsonActionType();
    private FakeStepContext ctx;
    private ParseFixture fx;
    private Path daemonJson;

    @BeforeEach
    void setUp() {
        ctx = new FakeStepContext(new LocalTarget("docker-1"), tmp);
        fx = new ParseFixture(tmp);
        daemonJson = tmp.resolve("daemon.json");
        ctx.set("daemon_json", daemonJson.toString());
    }

    private StepResult run(String yaml) throws Exception {
        return type.execute(fx.parseClean(type, yaml), ctx);
    }

    @Test
    void setMergesIntoTheExistingDocumentAndKeepsTheHostsOtherSettings() throws Exception {
        Files.writeString(daemonJson, "{\"log-driver\": \"json-file\", \"log-opts\": {\"max-size\": \"10m\"}, \"debug\": true}\n");
        Files.setPosixFilePermissions(daemonJson, PosixFilePermissions.fromString("rw-r-----"));
        StepResult r = run("json: {path: '{{ daemon_json }}', set: {userns-remap: default, log-opts: {max-file: \"3\"}}}\n");
        assertEquals(StepResult.Outcome.CHANGED, r.outcome(), r.message());
        assertEquals(List.of("userns-remap", "log-opts.max-file"), r.data().get("changed"));
        assertEquals("""
                {
                  "log-driver" : "json-file",
                  "log-opts" : {
                    "max-size" : "10m",
                    "max-file" : "3"
                  },
                  "debug" : true,
                  "userns-remap" : "default"
                }
                """, Files.readString(daemonJson));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(daemonJson)));
    }

    @Test
    void aSecondRunChangesNothing() throws Exception {
        Files.writeString(daemonJson, "{\"debug\": true}");
        run("json: {path: '{{ daemon_json }}', set: {userns-remap: default}}\n");
        String after = Files.readString(daemonJson);
        StepResult again = run("json: {path: '{{ daemon_json }}', set: {userns-remap: default}, backup: true}\n");
        assertEquals(StepResult.Outcome.OK, again.outcome(), again.message());
        assertEquals(after, Files.readString(daemonJson));
        assertEquals("", again.data().get("backup"));
    }

    @Test
    void removeDeletesOnlyTheNamedKeys() throws Exception {
        Files.writeString(daemonJson, "{\"userns-remap\": \"default\", \"log-opts\": {\"max-size\": \"10m\", \"max-file\": \"3\"}}");
        StepResult r = run("json: {path: '{{ daemon_json }}', remove: [userns-remap, log-opts.max-file, not-there]}\n");
        assertEquals(List.of("userns-remap", "log-opts.max-file"), r.data().get("changed"));
        assertEquals("{\n  \"log-opts\" : {\n    \"max-size\" : \"10m\"\n  }\n}\n", Files.readString(daemonJson));
    }

    @Test
    void backupKeepsThePreviousFile() throws Exception {
        Files.writeString(daemonJson, "{\"debug\": true}");
        StepResult r = run("json: {path: '{{ daemon_json }}', set: {debug: false}, backup: true}\n");
        Path backup = Path.of((String) r.data().get("backup"));
        assertTrue(backup.getFileName().toString().matches("daemon\\.json\\.\\d{14}\\.bak"), backup.toString());
        assertEquals("{\"debug\": true}", Files.readString(backup));
    }

    @Test
    void aMissingFileStartsEmptyUnlessCreateIsFalse() throws Exception {
        StepResult refused = run("json: {path: '{{ daemon_json }}', set: {a: 1}, create: false}\n");
        assertEquals(StepResult.Outcome.FAILED, refused.outcome());
        assertFalse(Files.exists(daemonJson));
        StepResult created = run("json: {path: '{{ daemon_json }}', set: {a: 1, b: [x, 2], c: null}}\n");
        assertEquals(StepResult.Outcome.CHANGED, created.outcome(), created.message());
        assertEquals("{\n  \"a\" : 1,\n  \"b\" : [\n    \"x\",\n    2\n  ],\n  \"c\" : null\n}\n", Files.readString(daemonJson));
    }

    @Test
    void aBrokenFileIsNeverOverwritten() throws Exception {
        Files.writeString(daemonJson, "{\"debug\": true,,}");
        StepResult r = run("json: {path: '{{ daemon_json }}', set: {userns-remap: default}}\n");
        assertEquals(StepResult.Outcome.FAILED, r.outcome());
        assertTrue(r.message().contains("is not a JSON object, so it was left as it is"), r.message());
        assertEquals("{\"debug\": true,,}", Files.readString(daemonJson));
    }

    @Test
    void stringsInSetAreTemplates() throws Exception {
        ctx.set("remap_user", "dockremap");
        run("json: {path: '{{ daemon_json }}', set: {userns-remap: '{{ remap_user }}'}}\n");
        assertTrue(Files.readString(daemonJson).contains("\"userns-remap\" : \"dockremap\""));
    }

    @Test
    void reportsProblemsWithPositions() {
        fx.parse(type, "json:\n  path: /etc/docker/daemon.json\n  sett: {a: 1}\n");
        String out = fx.rendered();
        assertTrue(out.contains("step.yaml:3:3: error: unknown key 'sett' in 'json'"), out);
        assertTrue(out.contains("did you mean 'set'?"), out);
        assertTrue(out.contains("'json' changes nothing: give 'set' or 'remove'"), out);
    }
}
