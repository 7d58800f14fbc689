package dev.opsctl.cli;

import dev.opsctl.app.ChecklistException;
import dev.opsctl.app.ChecklistRequest;
import dev.opsctl.app.ChecklistService;
import dev.opsctl.checklist.Checklist;
import dev.opsctl.checklist.Item;
import dev.opsctl.checklist.ItemGroup;
import dev.opsctl.checklist.run.ChecklistPrompter;
import dev.opsctl.checklist.run.ChecklistResult;
import dev.opsctl.param.Param;
import dev.opsctl.report.ChecklistJson;
import dev.opsctl.report.ChecklistMarkdown;
import dev.opsctl.report.ChecklistTable;
import dev.opsctl.source.Durations;
import dev.opsctl.source.Secret;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opsctl checklist list | show NAME | run NAME}. Exit codes: 0 passed, 5 not passed, 2 invalid
 * input, 130 interrupted. Manual items are asked at the terminal when there is one, else they need
 * {@code --confirm} or {@code --answers} and otherwise fail closed.
 */
@Command(
        name = "checklist",
        mixinStandardHelpOptions = true,
        description = "Checklists: list them, show one, or run one (probes checked, manual items asked or answered).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  opsctl checklist list",
            "  opsctl checklist show userns-remap-predeploy",
            "  opsctl checklist run userns-remap-predeploy --confirm stakeholders-notified --report predeploy.md",
            "  opsctl checklist run weekly -e disk_max_percent=85 --answers answers.yaml -o json",
        })
public final class ChecklistCommand implements Runnable {
    static final int PASSED = 0;
    static final int INVALID = 2;
    static final int NOT_PASSED = 5;
    static final int INTERRUPTED = 130;

    private final ChecklistService service;
    private final Map<String, String> env;
    private final Supplier<Optional<ChecklistPrompter>> interactive;
    private final ZoneId zone;

    @Spec
    CommandSpec spec;

    /**
     * @param interactive the terminal prompter when an operator is at a terminal; empty in scripts
     */
    public ChecklistCommand(ChecklistService service, Map<String, String> env, Supplier<Optional<ChecklistPrompter>> interactive,
            ZoneId zone) {
        this.service = service;
        this.env = Map.copyOf(env);
        this.interactive = interactive;
        this.zone = zone;
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list, show or run");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the checklists on the checklist path.",
            footerHeading = "%nExamples:%n", footer = {"  opsctl checklist list"})
    int list() {
        List<ChecklistService.Entry> all = service.list();
        if (all.isEmpty()) {
            err().println("no checklists in " + service.path().describe());
            return PASSED;
        }
        int width = all.stream().mapToInt(e -> e.name().length()).max().orElse(4);
        for (ChecklistService.Entry e : all) {
            out().println(String.format("%-" + width + "s  %s", e.name(), e.problem().map(p -> "(invalid) " + p).orElse(e.title())));
        }
        return PASSED;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a checklist: params, groups, items, probes.",
            footerHeading = "%nExamples:%n", footer = {"  opsctl checklist show userns-remap-predeploy"})
    int show(@Parameters(paramLabel = "NAME", description = "The checklist's name, or a path to a .yaml file.") String name) {
        Checklist c;
        try {
            c = service.load(name);
        } catch (ChecklistException e) {
            return invalid(e);
        }
        PrintWriter o = out();
        o.println(c.displayTitle() + "  (" + c.name() + ", " + c.file() + ")");
        if (!c.description().isEmpty()) {
            o.println("  " + c.description().strip().replaceAll("\\s+", " "));
        }
        o.println("  scope: " + (c.scope() == dev.opsctl.checklist.Placement.HOST ? "host" : "run"));
        if (!c.params().isEmpty()) {
            o.println("params:");
            for (Param p : c.params()) {
                String def = p.defaultValue().map(v -> v instanceof Secret ? Secret.MASK : String.valueOf(v)).orElse("(required)");
                o.println("  " + p.name() + " (" + p.type().yamlName() + ") = " + def + (p.description().isEmpty() ? "" : "  " + p.description()));
            }
        }
        for (ItemGroup g : c.groups()) {
            o.println(g.name() + (g.after().isZero() ? "" : " (after " + Durations.format(g.after()) + ")") + ":");
            for (Item i : g.items()) {
                o.println("  " + i.id() + "  " + i.text());
                if (i.manual()) {
                    o.println("      manual" + (i.noteRequired() ? ", note required" : ""));
                } else {
                    probeLine(o, i);
                }
            }
        }
        return PASSED;
    }

    private static void probeLine(PrintWriter o, Item i) {
        var probe = i.probe().orElseThrow();
        StringBuilder line = new StringBuilder("      probe " + probe.typeName() + ": " + probe.summary());
        i.expect().ifPresent(e -> line.append("  expect: ").append(e));
        if (!i.holdFor().isZero()) {
            line.append("  for ").append(Durations.format(i.holdFor())).append(" every ").append(Durations.format(i.interval()));
        }
        if (i.retries() > 0) {
            line.append("  retries ").append(i.retries());
        }
        o.println(line);
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run a checklist: probes are checked, manual items asked (or answered by --confirm / --answers).",
            footerHeading = "%nExamples:%n",
            footer = {"  opsctl checklist run userns-remap-predeploy", "  opsctl checklist run weekly --answers answers.yaml -o json"})
    int run(
            @Parameters(paramLabel = "NAME", description = "The checklist's name, or a path to a .yaml file.") String name,
            @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY", description = "Hosts for host items.") Optional<Path> inventory,
            @Option(names = {"-l", "--limit"}, paramLabel = "LIMIT", description = "Only these hosts or groups.") Optional<String> limit,
            @Option(names = {"-e", "--extra-var"}, paramLabel = "KEY=VALUE", description = "A checklist param.") List<String> vars,
            @Option(names = "--confirm", paramLabel = "ID[@HOST]", description = "Confirm a manual item (repeatable).") List<String> confirms,
            @Option(names = "--answers", paramLabel = "FILE", description = "Answers for manual items (YAML).") Optional<Path> answers,
            @Option(names = "--operator", paramLabel = "NAME", description = "Who answers (default: $USER).") Optional<String> operator,
            @Option(names = "--report", paramLabel = "FILE", description = "Write a Markdown report (mode 0600).") Optional<Path> report,
            @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
                    description = "text or json.") String output) {
        if (!output.equals("text") && !output.equals("json")) {
            err().println("error: -o must be 'text' or 'json', not '" + output + "'");
            return INVALID;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String kv : vars == null ? List.<String>of() : vars) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                err().println("error: expected KEY=VALUE but got '" + kv + "' (e.g. -e disk_max_percent=85)");
                return INVALID;
            }
            params.put(kv.substring(0, eq).strip(), kv.substring(eq + 1));
        }
        String who = operator.or(() -> Optional.ofNullable(env.get("USER"))).filter(s -> !s.isBlank()).orElse("unknown");
        ChecklistRequest request = new ChecklistRequest(name, inventory, limit, params,
                confirms == null ? List.of() : new ArrayList<>(confirms), answers, who, env);
        ChecklistResult result;
        try {
            result = service.run(request, interactive.get().orElse(ChecklistPrompter.NONE));
        } catch (ChecklistException e) {
            return invalid(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err().println("interrupted: checklist '" + name + "' did not finish; nothing was recorded as passed");
            return INTERRUPTED;
        }
        if (output.equals("json")) {
            out().println(ChecklistJson.render(result));
        } else {
            out().print(ChecklistTable.render(result));
        }
        if (report.isPresent()) {
            try {
                ChecklistMarkdown.write(result, zone, report.get());
                err().println("report written to " + report.get());
            } catch (IOException e) {
                err().println("error: cannot write the report to '" + report.get() + "': " + e.getMessage());
                return NOT_PASSED;
            }
        }
        if (!result.passed() && result.items().stream().anyMatch(i -> i.status() == dev.opsctl.checklist.run.ItemStatus.UNANSWERED)) {
            err().println("hint: unanswered items fail closed; answer them at a terminal, with --confirm ID or with --answers FILE");
        }
        return result.passed() ? PASSED : NOT_PASSED;
    }

    private int invalid(ChecklistException e) {
        err().println(e.getMessage().contains(": error: ") ? e.getMessage() : "error: " + e.getMessage());
        if (!e.hint().isEmpty()) {
            err().println("hint: " + e.hint());
        }
        return INVALID;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
