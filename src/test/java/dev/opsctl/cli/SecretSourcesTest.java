package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretSourcesTest {
    private static CliEnv withEnv(Map<String, String> vars) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        return new CliEnv(nowhere, nowhere, vars, Path.of("").toAbsolutePath(), false);
    }

    @Test
    void aVariableThatIsSetButEmptyIsSaidToBeEmptyNotMissing() {
        UsageException e = assertThrows(UsageException.class,
                () -> SecretSources.fromEnv(withEnv(Map.of("PP", "")), "--key-passphrase-env", "PP"));
        assertEquals("--key-passphrase-env PP: the variable 'PP' is empty", e.getMessage());
    }

    @Test
    void aMissingVariableIsSaidToBeMissing() {
        UsageException e = assertThrows(UsageException.class,
                () -> SecretSources.fromEnv(withEnv(Map.of()), "--key-passphrase-env", "PP"));
        assertEquals("--key-passphrase-env PP: the environment has no variable 'PP'", e.getMessage());
    }
}
