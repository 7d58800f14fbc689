package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class RunsCommandOptionsTest {
    private static final List<String> SHARED = List.of("--param", "--force", "--operator", "--state-dir", "--output",
            "--ssh-config", "--known-hosts", "--accept-new-host-keys", "--identity", "--no-agent", "--connect-timeout");

    private static CommandLine sub(String name) {
        return OpsctlCommand.commandLine(CliEnvs.quiet()).getSubcommands().get("runs").getSubcommands().get(name);
    }

    @Test
    void resumeAndRollbackDeclareTheSharedOptionsAlike() {
        for (String option : SHARED) {
            OptionSpec resume = sub("resume").getCommandSpec().findOption(option);
            OptionSpec rollback = sub("rollback").getCommandSpec().findOption(option);
            assertEquals(List.of(resume.names()), List.of(rollback.names()), option);
            assertEquals(List.of(resume.description()), List.of(rollback.description()), option);
            assertEquals(resume.paramLabel(), rollback.paramLabel(), option);
        }
    }

    @Test
    void theCommandLinesStayTheSame() {
        CommandLine root = OpsctlCommand.commandLine(CliEnvs.quiet());
        root.parseArgs("runs", "rollback", "RUN1", "--host", "web1", "-e", "k=v", "--force", "--operator", "bob", "--state-dir", "st", "-o", "json",
                "--known-hosts", "/etc/opsctl/known_hosts", "--identity", "/keys/ops", "--no-agent", "--connect-timeout", "3s");
        RunsCommand.RollbackRun r = root.getSubcommands().get("runs").getSubcommands().get("rollback").getCommand();
        assertEquals(List.of("RUN1", "[web1]", "[k=v]", "true", "bob", "st", "true"),
                List.of(r.run.id, r.hosts.toString(), r.run.extraVars().toString(), String.valueOf(r.run.force), r.run.operator,
                        r.run.stateDir.get().orElseThrow().toString(), String.valueOf(r.run.output.json())));
        // a rollback reaches the same hosts as the run did: with the same SSH options (they used to be ignored)
        dev.opsctl.app.SshFlags flags = r.ssh.flags(CliEnvs.quiet());
        assertEquals(List.of("[/etc/opsctl/known_hosts]", "[/keys/ops]", "false", "PT3S"),
                List.of(flags.knownHosts().toString(), flags.identities().toString(), String.valueOf(flags.useAgent()),
                        flags.connectTimeout().orElseThrow().toString()));
        root = OpsctlCommand.commandLine(CliEnvs.quiet());
        root.parseArgs("runs", "resume", "RUN2", "--param", "a=b", "--rerun-interrupted", "--answers", "a.yaml", "--no-agent", "--operator", "al");
        RunsCommand.ResumeRun s = root.getSubcommands().get("runs").getSubcommands().get("resume").getCommand();
        assertEquals(List.of("RUN2", "[a=b]", "true", "a.yaml", "al"),
                List.of(s.run.id, s.run.extraVars().toString(), String.valueOf(s.rerunInterrupted), s.answers.toString(), s.run.operator));
    }
}
