package dev.opsctl.runbook.load;

import dev.opsctl.runbook.model.GatePhase;
import dev.opsctl.runbook.model.GateRef;
import dev.opsctl.runbook.model.Gates;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code gates:}: checklist names per phase (each must exist) and the number of approvals. */
final class GatesReader {
    private final LoadContext lc;

    GatesReader(LoadContext lc) {
        this.lc = lc;
    }

    Gates read(Node node) {
        Optional<MapReader> reader = MapReader.of(node, "'gates'", lc.problems);
        if (reader.isEmpty()) {
            return Gates.NONE;
        }
        MapReader r = reader.get();
        Map<GatePhase, List<GateRef>> byPhase = new EnumMap<>(GatePhase.class);
        for (GatePhase phase : GatePhase.values()) {
            r.node(phase.yamlName()).ifPresent(n -> byPhase.put(phase, refs(phase, n)));
        }
        int approvals = r.integer("approvals").orElse(Gates.NONE.approvals());
        if (approvals < 1) {
            lc.problems.error(r.node("approvals").orElseThrow().pos(), "'approvals' must be at least 1, not " + approvals);
        }
        r.finish();
        return new Gates(byPhase, Math.max(1, approvals));
    }

    private List<GateRef> refs(GatePhase phase, Node node) {
        List<Node> items = node instanceof SeqNode seq ? seq.items() : List.of(node);
        List<GateRef> out = new ArrayList<>();
        for (Node item : items) {
            if (!(item instanceof ScalarNode s) || s.kind() != ScalarNode.Kind.STRING) {
                lc.problems.error(item.pos(), "'" + phase.yamlName() + "' must list checklist names, not " + item.describe(),
                        "write " + phase.yamlName() + ": [predeploy]");
                continue;
            }
            if (!lc.checklists.exists(s.text())) {
                lc.problems.error(s.pos(), "unknown checklist '" + s.text() + "'",
                        VarScope.hint(s.text(), lc.checklists.names(), "add checklists/" + s.text() + ".yaml"));
            }
            out.add(new GateRef(s.text(), s.pos()));
        }
        return out;
    }
}
