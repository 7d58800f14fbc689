package dev.opsctl.action;

import dev.opsctl.target.Target;
import dev.opsctl.target.local.LocalTarget;
import java.nio.file.Files;
import org.junit.jupiter.api.io.TempDir;

/** The step contract on the local target. */
class LocalStepContractTest extends StepContract {
    @TempDir
    java.nio.file.Path host;

    @Override
    protected Target newTarget() {
        return new LocalTarget("web-1");
    }

    @Override
    protected String newTempDir() throws Exception {
        return Files.createDirectories(host.resolve("work")).toString();
    }
}
