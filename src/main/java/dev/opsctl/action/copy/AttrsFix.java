package dev.opsctl.action.copy;

import dev.opsctl.target.FileInfo;
import dev.opsctl.template.ShellQuote;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mode, owner and group a step asks for that an existing file does not have yet (each empty
 * when it already has it, or nothing was asked), and the {@code chmod}/{@code chown} that sets them
 * without rewriting the file. An owner or group may be asked for by name or by number.
 */
record AttrsFix(Optional<Integer> mode, Optional<String> owner, Optional<String> group) {
    static AttrsFix of(FileInfo now, CopySpec spec) {
        Optional<String> owner = spec.owner().filter(o -> !now.owner().is(o));
        Optional<String> group = spec.group().filter(g -> !now.group().is(g));
        // a chown clears setuid and setgid bits, so an asked mode is set again after one
        boolean chown = owner.isPresent() || group.isPresent();
        return new AttrsFix(spec.mode().filter(m -> chown || m != now.mode()), owner, group);
    }

    boolean none() {
        return mode.isEmpty() && owner.isEmpty() && group.isEmpty();
    }

    /** One shell command; {@code chown} and {@code chmod} follow a symlink, as the write would. */
    String command(String path) {
        List<String> cmds = new ArrayList<>();
        if (owner.isPresent() || group.isPresent()) {
            cmds.add("chown " + ShellQuote.quote(owner.orElse("") + group.map(g -> ":" + g).orElse("")) + " -- " + ShellQuote.quote(path));
        }
        mode.ifPresent(m -> cmds.add("chmod " + String.format("%04o", m) + " -- " + ShellQuote.quote(path)));
        return String.join(" && ", cmds);
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
