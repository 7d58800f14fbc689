package dev.opsctl.target.kube;

import dev.opsctl.target.kube.KubeTarget.RolloutState;
import java.util.Map;

/**
 * Judges a Deployment's rollout from its status alone, with {@code kubectl rollout status}'s rules:
 * the controller has seen the latest spec, every replica is updated, no old replica is left, and
 * every updated replica is available; a Progressing condition with reason
 * {@code ProgressDeadlineExceeded} is a failed rollout.
 */
public final class RolloutCheck {
    static final String REVISION = "deployment.kubernetes.io/revision";

    private RolloutCheck() {}

    public static RolloutState evaluate(Map<String, Object> d) {
        long generation = ObjectMaps.num(d, "metadata", "generation");
        long observed = ObjectMaps.num(d, "status", "observedGeneration");
        long replicas = ObjectMaps.at(d, "spec", "replicas").isPresent() ? ObjectMaps.num(d, "spec", "replicas") : 1;
        long current = ObjectMaps.num(d, "status", "replicas");
        long updated = ObjectMaps.num(d, "status", "updatedReplicas");
        long available = ObjectMaps.num(d, "status", "availableReplicas");
        long ready = ObjectMaps.num(d, "status", "readyReplicas");
        long revision = ObjectMaps.num(d, "metadata", "annotations", REVISION);
        if (observed < generation) {
            return new RolloutState(false, false, "waiting for the deployment controller to observe generation " + generation
                    + " (observed " + observed + ")", replicas, updated, available, ready, revision);
        }
        var progressing = ObjectMaps.condition(d, "Progressing");
        if (progressing.isPresent() && "ProgressDeadlineExceeded".equals(progressing.get().get("reason"))) {
            Object msg = progressing.get().get("message");
            return new RolloutState(false, true, "ProgressDeadlineExceeded" + (msg == null ? "" : ": " + msg), replicas, updated,
                    available, ready, revision);
        }
        String reason;
        if (updated < replicas) {
            reason = updated + " of " + replicas + " new replicas updated";
        } else if (current > updated) {
            reason = (current - updated) + " old replicas pending termination";
        } else if (available < updated) {
            reason = available + " of " + updated + " updated replicas available";
        } else {
            return new RolloutState(true, false, "successfully rolled out", replicas, updated, available, ready, revision);
        }
        return new RolloutState(false, false, reason, replicas, updated, available, ready, revision);
    }
}
