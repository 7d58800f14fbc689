package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsctl.report.JsonEventDocs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed completions and reference docs must match what the code generates. To update them
 * all: {@code mvn -B -o test -Dtest=GeneratedFilesTest -Dopsctl.regenerate=true}.
 */
class GeneratedFilesTest {
    private static final String REGENERATE = "mvn -B -o test -Dtest=GeneratedFilesTest -Dopsctl.regenerate=true";

    private static void check(String file, String generated, String alsoBy) throws IOException {
        Path path = Path.of(file);
        if (Boolean.getBoolean("opsctl.regenerate")) {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.writeString(path, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "<missing>";
        assertEquals(generated, committed, file + " is stale: regenerate with '" + REGENERATE + "'" + alsoBy);
    }

    private static picocli.CommandLine root() {
        return OpsctlCommand.commandLine(CliEnvs.quiet());
    }

    @Test
    void bashCompletionIsCurrent() throws IOException {
        check(Completions.BASH_FILE, Completions.bash(root()), " or 'cli/opsctl completion bash > " + Completions.BASH_FILE + "'");
    }

    @Test
    void zshCompletionIsCurrent() throws IOException {
        check(Completions.ZSH_FILE, Completions.zsh(root()), " or 'cli/opsctl completion zsh > " + Completions.ZSH_FILE + "'");
    }

    @Test
    void cliReferenceIsCurrent() throws IOException {
        check(CliDocs.FILE, CliDocs.markdown(root()), "");
    }

    @Test
    void jsonEventReferenceIsCurrent() throws IOException {
        check(JsonEventDocs.FILE, JsonEventDocs.markdown(), "");
    }
}
