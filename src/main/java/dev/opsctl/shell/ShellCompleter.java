package dev.opsctl.shell;

import dev.opsctl.app.OpsctlException;
import dev.opsctl.app.RunSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Tab completion from the picocli model: commands, subcommands and options as the tree declares them,
 * plus the names opsctl knows: runbooks for {@code NAME} (checklists under {@code checklist}), run ids
 * for {@code ID}, the hosts and groups of the line's or the session's inventory for {@code -l}, enum
 * values, and file names for paths.
 */
final class ShellCompleter implements Completer {
    /** What goes at the cursor: words, or file names (completed by JLine's own file completer). */
    record Completion(List<Candidate> words, boolean files) {
        static final Completion NONE = new Completion(List.of(), false);
        static final Completion FILES = new Completion(List.of(), true);

        List<String> values() {
            return words.stream().map(Candidate::value).toList();
        }
    }

    private final CommandLine model;
    private final ShellSetup setup;
    private final InventoryHosts inventories;
    private final Supplier<Optional<Path>> sessionInventory;
    private final Completer files;

    ShellCompleter(CommandLine model, ShellSetup setup, InventoryHosts inventories, Supplier<Optional<Path>> sessionInventory) {
        this.model = model;
        this.setup = setup;
        this.inventories = inventories;
        this.sessionInventory = sessionInventory;
        this.files = new Completers.FileNameCompleter() {
            @Override
            protected Path getUserDir() {
                return setup.workingDir();
            }
        };
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        Completion c = at(line.words().subList(0, line.wordIndex()), line.word().substring(0, line.wordCursor()));
        if (c.files()) {
            files.complete(reader, line, candidates);
        } else {
            candidates.addAll(c.words());
        }
    }

    /** Completion of {@code typed}, the line up to the cursor (for tests and the {@code help} built-in). */
    Completion at(String typed) {
        ParsedLine line = new DefaultParser().parse(typed, typed.length(), org.jline.reader.Parser.ParseContext.COMPLETE);
        return at(line.words().subList(0, line.wordIndex()), line.word().substring(0, line.wordCursor()));
    }

    Completion at(List<String> before, String current) {
        if (!before.isEmpty() && before.get(0).equals("time")) {
            return at(before.subList(1, before.size()), current); // 'time CMD ...' completes as CMD does
        }
        CommandSpec spec = model.getCommandSpec();
        OptionSpec pending = null;
        Optional<Path> inventory = sessionInventory.get();
        int positional = 0;
        boolean dashes = false;
        for (String w : before) {
            if (pending != null) {
                if (isInventory(pending)) {
                    inventory = Optional.of(setup.workingDir().resolve(w));
                }
                pending = null;
            } else if (dashes) {
                positional++;
            } else if (w.equals("--")) {
                dashes = true;
            } else if (w.startsWith("-") && w.length() > 1) {
                int eq = w.indexOf('=');
                OptionSpec o = spec.findOption(eq < 0 ? w : w.substring(0, eq));
                if (o != null && eq < 0 && o.arity().min() > 0) {
                    pending = o;
                } else if (o != null && eq > 0 && isInventory(o)) {
                    inventory = Optional.of(setup.workingDir().resolve(w.substring(eq + 1)));
                }
            } else if (positional == 0 && spec.subcommands().containsKey(w)) {
                spec = spec.subcommands().get(w).getCommandSpec();
            } else if (spec == model.getCommandSpec() && Builtins.NAMES.contains(w)) {
                return builtinArgs(w, before.size());
            } else {
                positional++;
            }
        }
        if (dashes) {
            return Completion.NONE;
        }
        if (pending != null) {
            return optionValue(pending, inventory);
        }
        if (current.startsWith("-")) {
            return words(spec.options().stream().filter(o -> !o.hidden()).flatMap(o -> Arrays.stream(o.names())).toList(), "option");
        }
        if (!spec.subcommands().isEmpty() && positional == 0) {
            List<Candidate> out = new ArrayList<>();
            spec.subcommands().forEach((name, sub) -> out.add(candidate(name, "command", describe(sub.getCommandSpec()))));
            if (spec == model.getCommandSpec()) {
                Builtins.NAMES.forEach(b -> out.add(candidate(b, "shell", "shell built-in")));
            }
            return new Completion(out, false);
        }
        return positional(spec, positional);
    }

    private Completion builtinArgs(String builtin, int words) {
        return switch (builtin) {
            case "use" -> words == 1 ? words(List.of("-i", "--inventory", "--none"), "option") : Completion.FILES;
            case "help" -> words(List.copyOf(model.getSubcommands().keySet()), "command");
            default -> Completion.NONE;
        };
    }

    private Completion optionValue(OptionSpec o, Optional<Path> inventory) {
        List<String> names = List.of(o.names());
        if (names.contains("-l") || names.contains("--limit")) {
            return words(inventory.map(inventories::names).orElse(List.of()), "host");
        }
        if (o.type().isEnum()) {
            return words(Arrays.stream(o.type().getEnumConstants()).map(c -> c.toString().toLowerCase(Locale.ROOT)).toList(), "value");
        }
        if (o.completionCandidates() != null) {
            List<String> values = new ArrayList<>();
            o.completionCandidates().forEach(values::add);
            return words(values, "value");
        }
        return o.type() == Path.class || o.auxiliaryTypes()[0] == Path.class ? Completion.FILES : Completion.NONE;
    }

    private Completion positional(CommandSpec spec, int index) {
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.index().contains(index)) {
                continue;
            }
            String label = p.paramLabel();
            if (label.equals("NAME")) {
                boolean checklist = spec.qualifiedName(" ").contains(" checklist ");
                return words((checklist ? setup.checklists() : setup.runbooks()).get(), checklist ? "checklist" : "runbook");
            }
            if (label.equals("ID")) {
                return words(runIds(), "run");
            }
            if (p.type() == Path.class) {
                return Completion.FILES;
            }
        }
        return Completion.NONE;
    }

    private List<String> runIds() {
        try {
            return setup.runs().list().stream().map(RunSummary::runId).toList();
        } catch (OpsctlException | RuntimeException e) {
            return List.of(); // a state dir that cannot be read completes nothing; 'runs list' says why
        }
    }

    private static boolean isInventory(OptionSpec o) {
        return List.of(o.names()).contains("--inventory");
    }

    private static String describe(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        return d.length == 0 ? "" : d[0];
    }

    private static Completion words(List<String> values, String group) {
        return new Completion(values.stream().map(v -> candidate(v, group, null)).toList(), false);
    }

    private static Candidate candidate(String value, String group, String description) {
        return new Candidate(value, value, group, description == null || description.isEmpty() ? null : description, null, null, true);
    }
}
