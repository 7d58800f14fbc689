package dev.opsctl.cli;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.action.ActionRegistry;
import dev.opsctl.source.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Check runbooks without running them: syntax, keys, types, step ids, variables.",
            "Problems go to stderr as 'file:line:col: error: ...', a summary to stdout;",
            "exit 2 when anything is wrong.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  opsctl validate runbooks/",
            "  opsctl validate runbooks/userns-remap.yaml my-runbook.yaml",
        })
final class ValidateCommand implements Callable<Integer> {
    private final CliEnv env;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Runbook files, or directories searched for *.yaml and *.yml "
            + "(included 'kind: Steps' parts found there are checked through the runbooks that include them).")
    List<Path> paths = new ArrayList<>();

    ValidateCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            Path abs = env.resolve(p.toString());
            if (Files.isDirectory(abs)) {
                files.addAll(yamlUnder(abs));
            } else if (Files.isRegularFile(abs)) {
                files.add(abs);
            } else {
                throw new UsageException("no such file or directory '" + p + "'");
            }
        }
        if (files.isEmpty()) {
            throw new UsageException("no .yaml or .yml files under " + quoted(paths));
        }
        int failed = 0;
        Problems all = new Problems();
        RunbookReader reader = new RunbookReader(env, ActionRegistry.standard(env.env()));
        for (Path f : files) {
            Problems problems = reader.load(f, display(f)).problems();
            if (problems.hasErrors()) {
                failed++;
            }
            all.addAll(problems);
        }
        if (!all.isEmpty()) {
            env.err().print(all.render());
            env.err().flush();
        }
        if (failed > 0) {
            env.out().println("failed: " + failed + " of " + files.size() + (files.size() == 1 ? " file" : " files"));
            return ExitCodes.USAGE;
        }
        env.out().println("ok: " + files.size() + (files.size() == 1 ? " file" : " files"));
        return ExitCodes.OK;
    }

    /** Paths as the operator would type them: relative to the working directory when under it. */
    private String display(Path f) {
        return f.startsWith(env.workingDir()) ? env.workingDir().relativize(f).toString() : f.toString();
    }

    private static List<Path> yamlUnder(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(RunbookPath::isYaml).filter(f -> !isPart(f)).sorted().toList();
        } catch (IOException e) {
            throw new UsageException("cannot read directory '" + dir + "': " + e.getMessage());
        }
    }

    /**
     * A 'kind: Steps' file means nothing on its own (its params and registers come from the runbook that
     * includes it), so a directory walk leaves it to the runbooks beside it; named explicitly it is still checked.
     */
    private static boolean isPart(Path f) {
        try (Stream<String> lines = Files.lines(f)) {
            return lines.anyMatch(l -> PART.matcher(l).matches());
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("kind:\\s*[\"']?Steps[\"']?\\s*(#.*)?");

    private static String quoted(List<Path> paths) {
        return String.join(", ", paths.stream().map(p -> "'" + p + "'").toList());
    }
}
