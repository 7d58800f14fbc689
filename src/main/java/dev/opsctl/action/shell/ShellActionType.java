package dev.opsctl.action.shell;

import dev.opsctl.action.ActionType;
import dev.opsctl.action.ParseContext;
import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.target.EnvOnStdin;
import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.TargetException;
import dev.opsctl.template.ShellQuote;
import dev.opsctl.template.TemplateException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code shell}: runs a command through {@code sh -c} on the host. */
public final class ShellActionType implements ActionType<ShellSpec> {
    @Override
    public String name() {
        return "shell";
    }

    @Override
    public String description() {
        return "Runs a command through 'sh -c' on the host, as the connecting user or, with 'sudo: true', as root. "
                + "Values substituted into the command are shell-quoted unless written raw(x). Either a string, or a "
                + "mapping with 'cmd' and optional 'chdir', 'env', 'stdin', 'creates' (skip when this path exists), "
                + "'removes' (skip when it does not) and 'expect_rc' (exit codes that count as success, default [0]). "
                + "A later step reads 'steps.<id>.rc', '.stdout', '.stderr' and '.stdout_lines'; the step's 'timeout' "
                + "kills the command and everything it started.";
    }

    @Override
    public String example() {
        return """
                id: restart-docker
                shell:
                  cmd: systemctl restart docker
                  expect_rc: [0]
                sudo: true
                timeout: 2m
                """;
    }

    @Override
    public Optional<ShellSpec> parse(Node node, ParseContext ctx) {
        if (node instanceof ScalarNode s) {
            if (s.isNull() || s.text().isBlank()) {
                ctx.problems().error(node.pos(), "'shell' needs a command", "write shell: \"systemctl restart docker\"");
                return Optional.empty();
            }
            return Optional.of(ShellSpec.of(s.text()));
        }
        Optional<MapReader> reader = MapReader.of(node, "'shell'", ctx.problems());
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = reader.get();
        String cmd = r.requiredString("cmd", "write shell: {cmd: \"...\"} or shell: \"...\"");
        ShellSpec spec = new ShellSpec(cmd, r.string("chdir"), CommandOptions.env(r), r.string("stdin"), r.string("creates"),
                r.string("removes"), CommandOptions.expectRc(r));
        r.finish();
        if (r.has("cmd") && cmd.isBlank()) {
            ctx.problems().error(r.keyPos("cmd"), "'cmd' in 'shell' is empty");
        }
        return Optional.of(spec);
    }

    @Override
    public StepResult execute(ShellSpec spec, StepContext ctx) throws TargetException, InterruptedException {
        String cmd;
        Map<String, String> env = new LinkedHashMap<>();
        Optional<String> stdin;
        Optional<String> chdir;
        try {
            Optional<StepResult> skip = skip(spec, ctx);
            if (skip.isPresent()) {
                return skip.get();
            }
            cmd = ctx.renderCommand(spec.cmd());
            for (Map.Entry<String, String> e : spec.env().entrySet()) {
                env.put(e.getKey(), ctx.render(e.getValue()));
            }
            stdin = spec.stdin().isPresent() ? Optional.of(ctx.render(spec.stdin().get())) : Optional.empty();
            chdir = spec.chdir().isPresent() ? Optional.of(ctx.render(spec.chdir().get())) : Optional.empty();
        } catch (TemplateException e) {
            return StepResult.failed("cannot render the command: " + ctx.mask(e.getMessage()), Map.of());
        }
        Optional<String> badEnv = EnvOnStdin.problem(env);
        if (badEnv.isPresent()) {
            return StepResult.failed("cannot pass the environment: " + ctx.mask(badEnv.get()), Map.of());
        }
        // a separate line, not 'cd x && cmd': with a multi-line cmd, && would guard only its first line
        String full = chdir.map(d -> "cd " + ShellQuote.quote(d) + " || exit 1\n").orElse("") + cmd;
        ExecRequest req = ExecRequest.of(full).withSudo(ctx.sudo()).withEnv(env).withListener((stream, line) -> ctx.progress(line));
        if (stdin.isPresent()) {
            req = req.withStdin(stdin.get().getBytes(StandardCharsets.UTF_8));
        }
        if (ctx.timeout().isPresent()) {
            req = req.withTimeout(ctx.timeout().get());
        }
        ExecResult r = ctx.target().exec(req);
        return CommandResults.of(r, cmd, spec.expectRc(), ctx);
    }

    private static Optional<StepResult> skip(ShellSpec spec, StepContext ctx)
            throws TemplateException, TargetException, InterruptedException {
        Sudo sudo = ctx.sudo();
        if (spec.creates().isPresent()) {
            String path = ctx.render(spec.creates().get());
            if (ctx.target().stat(path, sudo).isPresent()) {
                return Optional.of(skipped("'" + path + "' exists"));
            }
        }
        if (spec.removes().isPresent()) {
            String path = ctx.render(spec.removes().get());
            if (ctx.target().stat(path, sudo).isEmpty()) {
                return Optional.of(skipped("'" + path + "' does not exist"));
            }
        }
        return Optional.empty();
    }

    private static StepResult skipped(String why) {
        return new StepResult(StepResult.Outcome.SKIPPED, 0, "", "", "skipped: " + why, Map.of("skipped", true), java.time.Duration.ZERO);
    }

    @Override
    public String summary(ShellSpec spec) {
        return CommandResults.shown(spec.cmd());
    }
}
