package dev.opsctl.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** Writes {@code docs/cli.md} from the picocli model: every command, its options, descriptions and examples. */
final class CliDocs {
    static final String FILE = "docs/cli.md";

    private CliDocs() {}

    static String markdown(CommandLine root) {
        StringBuilder md = new StringBuilder();
        md.append("# opsctl command line\n\n")
                .append("<!-- generated from the picocli model by CliDocs; do not edit: regenerate with "
                        + "`mvn -B -o test -Dtest=GeneratedFilesTest -Dopsctl.regenerate=true` -->\n\n")
                .append("Every command takes `-h`/`--help` and `--debug` (stack traces for internal errors). ")
                .append("Results (plans, tables, `-o json` events) go to stdout; progress and diagnostics to stderr.\n\n");
        List<CommandLine> all = new ArrayList<>();
        collect(root, all);
        for (CommandLine c : all) {
            CommandSpec spec = c.getCommandSpec();
            md.append("- [`").append(spec.qualifiedName()).append("`](#").append(anchor(spec.qualifiedName())).append(")\n");
        }
        md.append('\n');
        all.forEach(c -> section(c.getCommandSpec(), md));
        return md.toString();
    }

    private static void collect(CommandLine c, List<CommandLine> into) {
        into.add(c);
        c.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }

    private static void section(CommandSpec spec, StringBuilder md) {
        md.append("## ").append(spec.qualifiedName()).append("\n\n");
        md.append(String.join(" ", spec.usageMessage().description())).append("\n\n");
        String synopsis = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF))
                .synopsis(0).strip();
        md.append("```\n").append(synopsis).append("\n```\n\n");
        if (!spec.positionalParameters().isEmpty()) {
            md.append("| argument | meaning |\n|---|---|\n");
            for (PositionalParamSpec p : spec.positionalParameters()) {
                md.append("| `").append(p.paramLabel()).append("` | ").append(cell(String.join(" ", p.description()))).append(" |\n");
            }
            md.append('\n');
        }
        List<OptionSpec> options = spec.options().stream()
                .filter(o -> !o.inherited() && !o.usageHelp() && !o.versionHelp() && !o.hidden())
                .toList();
        if (!options.isEmpty()) {
            md.append("| option | meaning |\n|---|---|\n");
            for (OptionSpec o : options) {
                String label = o.arity().max() == 0 ? "" : "=" + o.paramLabel();
                md.append("| `").append(String.join("`, `", o.names())).append(label).append("` | ")
                        .append(cell(String.join(" ", o.description()))).append(" |\n");
            }
            md.append('\n');
        }
        if (!spec.subcommands().isEmpty()) {
            md.append("Subcommands: ");
            md.append(String.join(", ", spec.subcommands().keySet().stream().map(n -> "`" + n + "`").toList())).append("\n\n");
        }
        String[] footer = spec.usageMessage().footer();
        if (footer.length > 0) {
            md.append("Examples:\n\n```\n");
            for (String line : footer) {
                md.append(line.startsWith("  ") ? line.substring(2) : line).append('\n');
            }
            md.append("```\n\n");
        }
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("%n", " ");
    }

    private static String anchor(String heading) {
        return heading.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
    }
}
