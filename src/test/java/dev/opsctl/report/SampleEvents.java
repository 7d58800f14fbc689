package dev.opsctl.report;

import dev.opsctl.event.RunEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One run's worth of events, at least one of every type: host web2 fails 'restart-docker' and is rolled back. */
final class SampleEvents {
    static final String RUN = "20261122-0201-userns-remap";
    static final Instant T0 = Instant.parse("2026-11-22T02:01:00Z");

    private SampleEvents() {}

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static List<RunEvent> failingRun() {
        Map<String, String> finalStatus = new LinkedHashMap<>();
        finalStatus.put("web1", "ok");
        finalStatus.put("web2", "rolled_back");
        return List.of(
                new RunEvent.RunStarted(RUN, at(0), "userns-remap", "runbooks/userns-remap.yaml", "abc123",
                        List.of("web1", "web2"), Map.of("drain_wait", "2m", "token", "********"), "alice", false),
                new RunEvent.GateEvaluated(RUN, at(1), "before_run", "predeploy", "", true,
                        List.of(Map.of("item", "backups", "answer", "confirmed", "by", "alice"))),
                new RunEvent.BatchStarted(RUN, at(2), 1, 2, List.of("web1")),
                new RunEvent.HostStarted(RUN, at(2), "web1", "ssh"),
                new RunEvent.StepStarted(RUN, at(2), "web1", "restart-docker", "restart-docker", 1, "systemctl restart docker"),
                new RunEvent.StepOutput(RUN, at(3), "web1", "restart-docker", "stdout", "ok"),
                new RunEvent.StepFinished(RUN, at(3), "web1", "restart-docker", "ok", 0, 1200, "", Map.of(), false),
                new RunEvent.HostFinished(RUN, at(3), "web1", "ok", ""),
                new RunEvent.BatchStarted(RUN, at(4), 2, 2, List.of("web2")),
                new RunEvent.HostStarted(RUN, at(4), "web2", "ssh"),
                new RunEvent.StepStarted(RUN, at(4), "web2", "restart-docker", "restart-docker", 1, "systemctl restart docker"),
                new RunEvent.StepOutput(RUN, at(5), "web2", "restart-docker", "stderr",
                        "Job for docker.service failed because the control process exited with error code."),
                new RunEvent.StepFinished(RUN, at(5), "web2", "restart-docker", "failed", 1, 1300, "exit 1 from 'systemctl restart docker'",
                        Map.of("stderr_lines", 1), false),
                new RunEvent.TriggerFired(RUN, at(5), "web2", "docker-did-not-start", "rollback", "step 'restart-docker' failed",
                        Map.of(), false),
                new RunEvent.RollbackStarted(RUN, at(5), "web2", "trigger 'docker-did-not-start'"),
                new RunEvent.RollbackFinished(RUN, at(7), "web2", true, ""),
                new RunEvent.HostFinished(RUN, at(7), "web2", "rolled_back", "trigger 'docker-did-not-start' fired"),
                new RunEvent.RunHalted(RUN, at(7), "not starting batch 2 after 1 failed host"),
                new RunEvent.Notice(RUN, at(7), "warning", "", "the rollout halted after 1 failed host (max_failures: 0)"),
                new RunEvent.RunFinished(RUN, at(8), "rolled_back", 3, 8000, finalStatus, ""));
    }
}
