package dev.opsctl.target.local;

import dev.opsctl.target.Target;
import dev.opsctl.target.TargetContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LocalTargetContractTest extends TargetContract {
    @TempDir
    Path tmp;

    @Override
    protected Target newTarget() {
        return new LocalTarget("test-host");
    }

    @Override
    protected String supplementaryGroup() {
        return "nogroup";
    }

    @Override
    protected String newTempDir() throws Exception {
        return Files.createDirectory(tmp.resolve("target")).toString();
    }
}
