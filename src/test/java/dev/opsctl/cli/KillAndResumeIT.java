package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code opsctl run} process is SIGKILLed in the middle of a step; {@code opsctl runs resume}
 * finishes the run without re-running the steps that had finished, re-runs the interrupted step only
 * because it is idempotent, and fails closed (no terminal) when it is not.
 */
class KillAndResumeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path writeRunbook(boolean idempotent) throws Exception {
        return Files.writeString(tmp.resolve("three-steps.yaml"), """
                apiVersion: opsctl/v1
                kind: Runbook
                metadata: {name: three-steps}
                params:
                  dir: {type: string}
                steps:
                  - id: one
                    shell: echo one >> {{ dir }}/log
                  - id: two
                    shell: |
                      echo two >> {{ dir }}/log
                      if [ ! -f {{ dir }}/started ]; then touch {{ dir }}/started; sleep 60; fi
                    idempotent: %s
                  - id: three
                    shell: echo three >> {{ dir }}/log
                """.formatted(idempotent));
    }

    private List<String> opsctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Path jar() {
        return Path.of(System.getProperty("opsctl.jar", "target/opsctl.jar"));
    }

    /** Starts a run, waits until step 'two' is running, SIGKILLs the process; returns the run id. */
    private String runAndKillDuringStepTwo(Path runbook, Path state) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(opsctl("run", runbook.toString(), "-e", "dir=" + tmp, "--yes", "-o", "json",
                "--state-dir", state.toString()));
        pb.redirectError(tmp.resolve("first.err").toFile());
        Process p = pb.start();
        String runId = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            for (String line = out.readLine(); line != null && Instant.now().isBefore(deadline); line = out.readLine()) {
                JsonNode e = JSON.readTree(line);
                if (runId == null && e.has("runId")) {
                    runId = e.get("runId").asText();
                }
                if (e.path("type").asText().equals("step-started") && e.path("step").asText().equals("two")) {
                    break;
                }
            }
            Instant until = Instant.now().plus(Duration.ofSeconds(30));
            while (!Files.exists(tmp.resolve("started")) && Instant.now().isBefore(until)) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(tmp.resolve("started")), "step two is running");
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no final journal record
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        }
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        assertTrue(runId != null, "the run announced its id");
        return runId;
    }

    private Process resume(String runId, Path state, String... extra) throws Exception {
        List<String> cmd = opsctl("runs", "resume", runId, "-e", "dir=" + tmp, "--state-dir", state.toString());
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "resume finished");
        return p;
    }

    @Test
    void aKilledRunResumesWithoutRedoingFinishedStepsAndRerunsTheIdempotentOne() throws Exception {
        Path state = tmp.resolve("state");
        String runId = runAndKillDuringStepTwo(writeRunbook(true), state);
        assertEquals(List.of("one", "two"), Files.readAllLines(tmp.resolve("log")));

        Process p = resume(runId, state);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertEquals(List.of("one", "two", "two", "three"), Files.readAllLines(tmp.resolve("log")),
                "step one ran once; the interrupted idempotent step two ran again; three ran once");
        String journal = Files.readString(state.resolve("runs").resolve(runId).resolve("journal.jsonl"));
        assertTrue(journal.contains("\"type\":\"run-resumed\""), journal);
        long startsOfOne = journal.lines().filter(l -> l.contains("\"type\":\"step-started\"") && l.contains("\"step\":\"one\"")).count();
        assertEquals(1, startsOfOne, "step one was never started again");
    }

    @Test
    void anInterruptedStepThatIsNotIdempotentFailsClosedWithoutATerminal() throws Exception {
        Path state = tmp.resolve("state");
        String runId = runAndKillDuringStepTwo(writeRunbook(false), state);

        Process refused = resume(runId, state);
        String output = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, refused.exitValue(), output);
        assertTrue(output.contains("two"), output);
        assertTrue(output.contains("--rerun-interrupted"), output);
        assertEquals(List.of("one", "two"), Files.readAllLines(tmp.resolve("log")), "nothing ran");

        Process forced = resume(runId, state, "--rerun-interrupted");
        String out2 = new String(forced.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, forced.exitValue(), out2);
        assertEquals(List.of("one", "two", "two", "three"), Files.readAllLines(tmp.resolve("log")));
    }
}
