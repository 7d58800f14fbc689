package dev.opsctl.action.helm;

import dev.opsctl.target.ExecResult;
import dev.opsctl.target.TargetException;
import dev.opsctl.target.kube.KubeRef;
import dev.opsctl.target.kube.KubeTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A {@link KubeTarget} for one {@code via: kube} release operation that remembers the changes that went through, so
 * that an API server lost after some of them (its record, or the objects deleted after the apply, not written) is told
 * as a release written in part ({@link #inPart}), not as a cluster that could not be reached, which says nothing was done.
 */
final class WrittenKube implements KubeTarget {
    private final KubeTarget kube;
    private final List<String> changes = new CopyOnWriteArrayList<>();

    WrittenKube(KubeTarget kube) {
        this.kube = kube;
    }

    /**
     * {@code e} as it is, unless the API server could not be reached, or refused the credentials, after changes went
     * through: then connection_lost (not sent: cut short, the release written in part) or, for a refusal that answered, a
     * failure, naming those changes. A lost connection after changes went through names them too.
     */
    TargetException inPart(String release, TargetException e) {
        if (e.kind() == TargetException.Kind.CONNECTION_LOST && !changes.isEmpty()) {
            return new TargetException(e.kind(), e.host(), "kube context '" + kube.context() + "': " + release + " was written in part ("
                    + String.join("; ", changes) + ") when the connection to the API server broke: " + e.getMessage(), e)
                    .withLostCommand(e.lostCommand());
        }
        if (!e.unreachable() || changes.isEmpty()) {
            return e;
        }
        TargetException.Kind kind = e.kind() == TargetException.Kind.UNREACHABLE ? TargetException.Kind.CONNECTION_LOST
                : TargetException.Kind.REMOTE_FAILED;
        return new TargetException(kind, e.host(), "kube context '" + kube.context() + "': " + release + " was written in part before "
                + "the API server could not be reached (" + String.join("; ", changes) + "): " + e.getMessage(), e);
    }

    private static String named(KubeRef r) {
        return r.kind().toLowerCase(Locale.ROOT) + " '" + r.name() + "'";
    }

    @Override
    public String context() {
        return kube.context();
    }

    @Override
    public String namespace() {
        return kube.namespace();
    }

    @Override
    public String describe() {
        return kube.describe();
    }

    @Override
    public Optional<Map<String, Object>> get(KubeRef ref) throws TargetException, InterruptedException {
        return kube.get(ref);
    }

    @Override
    public List<Map<String, Object>> list(KubeRef ref) throws TargetException, InterruptedException {
        return kube.list(ref);
    }

    @Override
    public List<Applied> apply(String manifest, String namespace, Map<String, String> labels, Map<String, String> annotations)
            throws TargetException, InterruptedException {
        List<Applied> applied = kube.apply(manifest, namespace, labels, annotations);
        List<String> each = new ArrayList<>();
        applied.forEach(a -> each.add(a.kind().toLowerCase(Locale.ROOT) + " '" + a.name() + "' " + a.action()));
        changes.add("applied " + applied.size() + (applied.size() == 1 ? " object: " : " objects: ") + String.join(", ", each));
        return applied;
    }

    @Override
    public Map<String, Object> patch(KubeRef ref, String type, String body) throws TargetException, InterruptedException {
        Map<String, Object> after = kube.patch(ref, type, body);
        changes.add("patched " + named(ref));
        return after;
    }

    @Override
    public List<Map<String, Object>> setMetadata(KubeRef ref, boolean labels, Map<String, String> values)
            throws TargetException, InterruptedException {
        List<Map<String, Object>> after = kube.setMetadata(ref, labels, values);
        changes.add("set " + (labels ? "labels" : "annotations") + " of " + named(ref));
        return after;
    }

    @Override
    public Map<String, Object> scale(KubeRef ref, int replicas) throws TargetException, InterruptedException {
        Map<String, Object> after = kube.scale(ref, replicas);
        changes.add("scaled " + named(ref));
        return after;
    }

    @Override
    public List<String> delete(KubeRef ref, Optional<Duration> wait, OptionalLong gracePeriodSeconds)
            throws TargetException, InterruptedException {
        List<String> deleted = kube.delete(ref, wait, gracePeriodSeconds);
        if (!deleted.isEmpty()) {
            changes.add("deleted " + ref.kind().toLowerCase(Locale.ROOT) + " '" + String.join("', '", deleted) + "'");
        }
        return deleted;
    }

    @Override
    public Waited waitFor(KubeRef ref, Predicate<Map<String, Object>> condition, Duration timeout)
            throws TargetException, InterruptedException {
        return kube.waitFor(ref, condition, timeout);
    }

    @Override
    public String setImage(KubeRef deployment, String container, String image) throws TargetException, InterruptedException {
        String before = kube.setImage(deployment, container, image);
        changes.add("set the image of " + named(deployment));
        return before;
    }

    @Override
    public RolloutState rolloutStatus(KubeRef deployment, Duration timeout) throws TargetException, InterruptedException {
        return kube.rolloutStatus(deployment, timeout);
    }

    @Override
    public List<Revision> rolloutHistory(KubeRef deployment) throws TargetException, InterruptedException {
        return kube.rolloutHistory(deployment);
    }

    @Override
    public RolledBack rolloutUndo(KubeRef deployment, OptionalLong toRevision) throws TargetException, InterruptedException {
        RolledBack r = kube.rolloutUndo(deployment, toRevision);
        changes.add("rolled back " + named(deployment));
        return r;
    }

    @Override
    public ExecResult exec(KubeRef pod, Optional<String> container, List<String> command, Duration timeout)
            throws TargetException, InterruptedException {
        ExecResult r = kube.exec(pod, container, command, timeout);
        changes.add("ran '" + String.join(" ", command) + "' in " + named(pod));
        return r;
    }

    @Override
    public String logs(KubeRef pod, Optional<String> container, boolean previous, OptionalInt tail)
            throws TargetException, InterruptedException {
        return kube.logs(pod, container, previous, tail);
    }

    @Override
    public List<Event> events(KubeRef ref) throws TargetException, InterruptedException {
        return kube.events(ref);
    }

    @Override
    public PortForward portForward(KubeRef podOrService, int port) throws TargetException, InterruptedException {
        return kube.portForward(podOrService, port);
    }

    /** The client is the connection cache's, not this operation's: left open. */
    @Override
    public void close() {}
}
