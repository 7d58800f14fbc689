package dev.opsctl.shell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The session's defaults put into a typed line: the inventory of {@code use -i} and the shell's
 * {@code --state-dir}, each only for a command that has that option (read from the picocli model)
 * and only when the line does not give it already. They go right after the command's name, so a
 * {@code --} and what follows it stay as typed.
 */
final class LineDefaults {
    private LineDefaults() {}

    static List<String> apply(CommandLine root, List<String> words, Optional<Path> inventory, Optional<Path> stateDir) {
        CommandSpec spec = root.getCommandSpec();
        int at = 0;
        while (at < words.size()) {
            String w = words.get(at);
            CommandLine sub = spec.subcommands().get(w);
            if (sub != null) {
                spec = sub.getCommandSpec();
                at++;
            } else if (w.startsWith("-") && !w.equals("--") && isFlag(spec, w)) {
                at++;
            } else {
                break;
            }
        }
        List<String> out = new ArrayList<>(words);
        List<String> typed = words.subList(at, end(words));
        List<String> added = new ArrayList<>();
        CommandSpec leaf = spec;
        inventory.ifPresent(p -> addIfMissing(added, typed, option(leaf, "--inventory"), p));
        stateDir.ifPresent(p -> addIfMissing(added, typed, option(leaf, "--state-dir"), p));
        out.addAll(at, added);
        return out;
    }

    private static boolean isFlag(CommandSpec spec, String word) {
        OptionSpec o = spec.findOption(word);
        return o != null && o.arity().max() == 0;
    }

    private static int end(List<String> words) {
        int dashes = words.indexOf("--");
        return dashes < 0 ? words.size() : dashes;
    }

    private static Optional<OptionSpec> option(CommandSpec spec, String name) {
        return Optional.ofNullable(spec.findOption(name));
    }

    private static void addIfMissing(List<String> added, List<String> typed, Optional<OptionSpec> option, Path value) {
        if (option.isEmpty() || given(typed, option.get())) {
            return;
        }
        added.add(option.get().longestName());
        added.add(value.toString());
    }

    /** Given as {@code -i X}, {@code -iX}, {@code --inventory X} or {@code --inventory=X}. */
    static boolean given(List<String> typed, OptionSpec option) {
        for (String w : typed) {
            for (String name : option.names()) {
                if (w.equals(name) || w.startsWith(name + "=") || (name.length() == 2 && !name.startsWith("--") && w.startsWith(name))) {
                    return true;
                }
            }
        }
        return false;
    }
}
