package dev.opsctl.action.script;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.action.shell.CommandOptions;
import dev.opsctl.action.shell.CommandResults;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.target.EnvOnStdin;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.TargetException;
import dev.opsctl.template.ShellQuote;
import dev.opsctl.template.TemplateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code script}: runs a script kept beside the runbook on the host, without copying it there. */
public final class ScriptActionType implements ActionType<ScriptSpec> {
    private static final String DEFAULT_INTERPRETER = "/bin/sh";
    /** Shells read a script from stdin with {@code -s}; other interpreters (python, perl) take {@code -}. */
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "ksh", "ash", "mksh");

    @Override
    public String name() {
        return "script";
    }

    @Override
    public String description() {
        return "Runs a script that lives beside the runbook ('path', relative to the runbook's directory) on the host: "
                + "its content is fed on stdin to 'interpreter' (default /bin/sh; 'bash -s -- args'), so nothing is "
                + "copied to the host and it works the same locally and over SSH. 'args' are templates, each passed as "
                + "one word. Also takes 'chdir', 'env' and 'expect_rc' like 'shell', and reports the same fields "
                + "(rc, stdout, stderr). The script cannot read stdin itself, since stdin carries the script.";
    }

    @Override
    public String example() {
        return """
                id: drain-node
                script:
                  path: scripts/drain.sh
                  args: ["{{ host.name }}", --grace, 30s]
                  interpreter: /bin/bash
                sudo: true
                """;
    }

    @Override
    public Optional<ScriptSpec> parse(Node node, ParseContext ctx) {
        Optional<MapReader> reader = MapReader.of(node, "'script'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        String path = r.requiredString("path", "write script: {path: scripts/x.sh}");
        Path file = ctx.baseDir().resolve(path).normalize();
        if (!path.isEmpty() && !Files.isRegularFile(file)) {
            ctx.problems().error(r.node("path").map(Node::pos).orElse(r.pos()),
                    "script '" + path + "' not found (looked for '" + file + "')",
                    "the path is relative to the runbook's directory");
        }
        ScriptSpec spec = new ScriptSpec(path, file, r.stringList("args"), r.string("interpreter").orElse(DEFAULT_INTERPRETER),
                r.string("chdir"), CommandOptions.env(r), CommandOptions.expectRc(r));
        r.finish();
        return Optional.of(spec);
    }

    @Override
    public StepResult execute(ScriptSpec spec, StepContext ctx) throws TargetException, InterruptedException {
        byte[] script;
        try {
            script = Files.readAllBytes(spec.file());
        } catch (IOException e) {
            return StepResult.failed("cannot read script '" + spec.path() + "': " + e.getMessage(), Map.of());
        }
        String args;
        String chdir;
        Map<String, String> env = new LinkedHashMap<>();
        try {
            args = quotedArgs(spec, ctx);
            chdir = spec.chdir().isPresent() ? "cd " + ShellQuote.quote(ctx.render(spec.chdir().get())) + " || exit 1\n" : "";
            for (Map.Entry<String, String> e : spec.env().entrySet()) {
                env.put(e.getKey(), ctx.render(e.getValue()));
            }
        } catch (TemplateException e) {
            return StepResult.failed("cannot render the script's arguments: " + ctx.mask(e.getMessage()), Map.of());
        }
        Optional<String> badEnv = EnvOnStdin.problem(env);
        if (badEnv.isPresent()) {
            return StepResult.failed("cannot pass the environment: " + ctx.mask(badEnv.get()), Map.of());
        }
        // the interpreter is written by the runbook's author as a command (it may be '/usr/bin/env python3')
        String command = chdir + spec.interpreter() + readsStdin(spec.interpreter()) + args;
        ExecRequest req = ExecRequest.of(command).withStdin(script).withSudo(ctx.sudo()).withEnv(env)
                .withListener((stream, line) -> ctx.progress(line));
        if (ctx.timeout().isPresent()) {
            req = req.withTimeout(ctx.timeout().get());
        }
        ExecResult r = ctx.target().exec(req);
        return CommandResults.of(r, summary(spec) + args, spec.expectRc(), ctx);
    }

    private static String quotedArgs(ScriptSpec spec, StepContext ctx) throws TemplateException {
        StringBuilder out = new StringBuilder();
        for (String arg : spec.args()) {
            out.append(' ').append(ShellQuote.quote(ctx.render(arg)));
        }
        return out.toString();
    }

    private static String readsStdin(String interpreter) {
        String[] words = interpreter.strip().split("\\s+");
        String last = Path.of(words[words.length - 1]).getFileName().toString();
        return SHELLS.contains(last) ? " -s --" : " -";
    }

    @Override
    public String summary(ScriptSpec spec) {
        return "script " + spec.path();
    }
}
