package dev.opsctl.action.copy;

import dev.opsctl.target.FileInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mode, owner and group a step asks for that an existing file does not have yet (each empty
 * when it already has it, or nothing was asked). An owner or group may be asked for by name or by
 * number.
 */
record AttrsDiff(Optional<Integer> mode, Optional<String> owner, Optional<String> group) {
    static AttrsDiff of(FileInfo now, CopySpec spec) {
        return new AttrsDiff(spec.mode().filter(m -> m != now.mode()), spec.owner().filter(o -> !now.owner().is(o)),
                spec.group().filter(g -> !now.group().is(g)));
    }

    boolean none() {
        return mode.isEmpty() && owner.isEmpty() && group.isEmpty();
    }

    /** For the step's message: {@code mode 0640, owner 'root'}. */
    String describe() {
        List<String> parts = new ArrayList<>();
        mode.ifPresent(m -> parts.add("mode " + String.format("%04o", m)));
        owner.ifPresent(o -> parts.add("owner '" + o + "'"));
        group.ifPresent(g -> parts.add("group '" + g + "'"));
        return String.join(", ", parts);
    }
}
